"""The dedup stage: read the record tables it is given, find the works, write its result tables."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from reviewflow.config import DedupSettings, other_method_files, round_ranks
from reviewflow.dedup import DedupResult, deduplicate, read_overrides
from reviewflow.paths import DEDUP
from reviewflow.records import COLUMNS, read_csv
from reviewflow.safe import safe_frame


def read_records(path) -> pd.DataFrame:
    """A records table written by ``reviewflow ingest``, or any export file (read with ingest)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except OSError:
        header = ""  # read_export says why the file cannot be read
    if header.strip().split(",")[0] == COLUMNS[0]:  # a table written by records.write_csv
        return read_csv(path, COLUMNS)
    from reviewflow.ingest import read_export

    return read_export(path)


def write_tables(result, out_dir) -> None:
    """Each table of ``result`` (clusters, pairs, works, possible, related) in ``out_dir`` under
    its name in reviewflow.paths.DEDUP: sorted, formula-safe, no timestamps."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for name, path in DEDUP.under(out_dir).items():
        safe_frame(getattr(result, name)).to_csv(path, index=False, lineterminator="\n")


def run_dedup(
    record_paths,
    out_dir,
    config: dict | None = None,
    overrides=None,
    settings: dict | None = None,
    on_read=None,
) -> DedupResult:
    """The dedup stage, as ``reviewflow dedup`` and verify's re-derivation run it: the record
    tables (or exports) read, their works found, the tables written into ``out_dir``.

    ``config``, the review's, says which round each export is in (a work keeps its key when a
    later round adds records); its ``dedup:`` section names the overrides file and the settings
    that an ``overrides`` path or ``settings`` given here do not (a named overrides file that
    does not exist is none, as in the manifest). ``on_read(path, records)`` is
    told each table's records as it is read."""
    section = (config or {}).get("dedup") or {}
    settings = dataclasses.replace(DedupSettings.of(config), **(settings or {}))
    if not overrides and section.get("overrides") and Path(section["overrides"]).is_file():
        overrides = section[
            "overrides"
        ]  # as the manifest does, a config's file that does not exist is none
    frames = []
    for path in record_paths:
        frames.append(read_records(path))
        if on_read:
            on_read(path, frames[-1])
    reviewer = read_overrides(overrides) if overrides else None
    round_of = round_ranks(config) if config else None
    others = other_method_files(config) if config else ()
    result = deduplicate(pd.concat(frames, ignore_index=True), settings, reviewer, round_of, others)
    write_tables(result, out_dir)
    return result
