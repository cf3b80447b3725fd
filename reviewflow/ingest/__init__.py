"""Read database exports into the normalised record table.

``read_export(path)`` detects the format from the file's content, parses it
and returns a DataFrame with ``reviewflow.records.COLUMNS``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.ingest.detect import detect_format, read_text
from reviewflow.records import make_record_id, to_frame, write_csv

# Format name (as ``detect.FORMATS`` names it) -> (module, function) of its parser, imported
# only when a file of that format is read: most runs read one or two formats of the many.
_PARSERS = {
    "medline": ("medline", "parse"),
    "ris": ("ris", "parse"),
    "ovid_tagged": ("ovid", "parse"),
    "wos_tagged": ("wos", "parse"),
    "bibtex": ("bibtex", "parse"),
    "ctgov_csv": ("ctgov", "parse_csv"),
    "ctgov_classic": ("ctgov", "parse_classic"),
    "ctgov_json": ("ctgov", "parse_json"),
    "ictrp_xml": ("ictrp", "parse_xml"),
    "ictrp_csv": ("ictrp", "parse_csv"),
    "euctr_text": ("euctr", "parse"),
}


def formats() -> list[str]:
    """Every format read_export parses: the tagged, register and BibTeX formats and the
    database CSV layouts (reviewflow.ingest.tables.LAYOUTS)."""
    from reviewflow.ingest import tables

    return [*_PARSERS, *tables.LAYOUTS]


def _parser(fmt: str):
    """parse(text, path) -> rows or a frame, for one format."""
    from reviewflow.ingest import tables

    if fmt in tables.LAYOUTS:
        return tables.parser(fmt)
    module, function = _PARSERS[fmt]
    return getattr(importlib.import_module(f"reviewflow.ingest.{module}"), function)


def read_export(
    path: str | Path, source_db: str | None = None, name: str | None = None
) -> pd.DataFrame:
    """Parse one export file.

    ``source_db`` overrides the database name guessed from the content;
    ``name`` is what ``source_file`` records (defaults to the path as given).
    """
    from reviewflow.ingest import ctgov, tables

    path = Path(path)
    # Zip archives are told apart by their members: ClinicalTrials.gov's
    # "one JSON file per study" download, or an XLSX workbook.
    if ctgov.is_json_archive(path):
        parsed = ctgov.read_json_archive(path)
    elif tables.is_workbook(path):  # XLSX: Embase.com offers one besides CSV
        parsed = tables.read_workbook(path)
    else:
        text = read_text(path)
        parsed = _parser(detect_format(text, path))(text, path)
    # Parsers return row dicts or, for column-wise parsers, a frame of fields.
    frame = pd.DataFrame(parsed)
    if frame.empty:
        raise ReviewflowError("no records found", str(path))
    name = name or str(path)
    frame["source_file"] = name
    frame["source_index"] = range(1, len(frame) + 1)
    frame["record_id"] = [make_record_id(name, index) for index in frame["source_index"]]
    if source_db:
        frame["source_db"] = source_db
    return to_frame(frame)


def ingest(paths, out, source_db: str | None = None, on_read=None) -> pd.DataFrame:
    """The ingest stage, as ``reviewflow ingest`` and verify's re-derivation run it: each
    export read (``source_file`` names it as given) into one records table written to ``out``.
    ``on_read(path, records)`` is told each file's records as it is read."""
    frames = []
    for path in paths:
        frames.append(read_export(path, source_db=source_db))
        if on_read:
            on_read(path, frames[-1])
    records = pd.concat(frames, ignore_index=True)
    write_csv(records, out)
    return records
