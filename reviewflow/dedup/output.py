"""Read the record tables dedup is given and write its result tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
