"""Read database exports into the normalised record table.

``read_export(path)`` detects the format from the file's content, parses it
and returns a DataFrame with ``reviewflow.records.COLUMNS``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.ingest.detect import detect_format, read_text
from reviewflow.records import make_record_id, to_frame


def _parsers():
    """Format name (as ``detect.FORMATS`` names it) -> parse(text, path) -> rows."""
    from reviewflow.ingest import medline, ovid, ris, wos

    return {
        "medline": medline.parse,
        "ris": ris.parse,
        "ovid_tagged": ovid.parse,
        "wos_tagged": wos.parse,
    }


def read_export(path: str | Path, source_db: str | None = None, name: str | None = None) -> pd.DataFrame:
    """Parse one export file.

    ``source_db`` overrides the database name guessed from the content;
    ``name`` is what ``source_file`` records (defaults to the path as given).
    """
    path = Path(path)
    text = read_text(path)
    fmt = detect_format(text, path)
    parsers = _parsers()
    if fmt not in parsers:
        raise ReviewflowError(f"looks like {fmt}, which this version cannot read yet", str(path))
    rows = parsers[fmt](text, path)
    name = name or str(path)
    for index, row in enumerate(rows, start=1):
        row["source_file"] = name
        row["source_index"] = index
        row["record_id"] = make_record_id(name, index)
        if source_db:
            row["source_db"] = source_db
    if not rows:
        raise ReviewflowError("no records found", str(path))
    return to_frame(rows)
