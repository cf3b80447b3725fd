"""A reviewer's own verdicts on record pairs, applied before clustering.

The overrides file is a CSV with columns ``id_a,id_b,decision`` (plus optional
``reviewer`` and ``note``). An id is any identifier of a record: its record_id,
its database source_id, its DOI or its PMID; an id that names several records
(a DOI shared by two exports) applies to all of them. ``decision`` is ``same``
(always one work) or ``different`` (never one work), so a rerun never undoes a
human decision.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from reviewflow.errors import ReviewflowError

COLUMNS = ["id_a", "id_b", "decision", "reviewer", "note"]
DECISIONS = ("same", "different")


def read_overrides(path) -> pd.DataFrame:
    """Read and check the file; a bad row raises ReviewflowError naming its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReviewflowError(f"cannot read overrides file ({exc.strerror})", str(path)) from None
    except UnicodeDecodeError:
        raise ReviewflowError("overrides file is not UTF-8", str(path)) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("id_a", "id_b", "decision") if c not in header]
    if missing:
        raise ReviewflowError(f"header lacks column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}", str(path), 1)
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ReviewflowError(f"unknown column(s) {', '.join(unknown)}; expected {','.join(COLUMNS)}", str(path), 1)
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ReviewflowError(f"expected {len(header)} fields, found {len(row)}", str(path), line)
        entry = {c: "" for c in COLUMNS} | {h: cell.strip() for h, cell in zip(header, row)}
        entry["decision"] = entry["decision"].lower()
        if not entry["id_a"] or not entry["id_b"]:
            raise ReviewflowError("id_a and id_b must both be given", str(path), line)
        if entry["decision"] not in DECISIONS:
            raise ReviewflowError(f"decision must be 'same' or 'different', not {entry['decision']!r}", str(path), line)
        out.append(entry)
    return pd.DataFrame(out, columns=COLUMNS)


def _identifier_index(records: pd.DataFrame) -> dict[str, list[int]]:
    """Every identifier (lower-cased) -> positions of the records carrying it."""
    index: dict[str, list[int]] = {}
    for column in ("record_id", "source_id", "doi", "pmid"):
        for position, value in enumerate(records[column].fillna("").astype(str).str.strip().str.lower()):
            if value:
                index.setdefault(value, []).append(position)
    return index


def resolve(records: pd.DataFrame, overrides: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Override pairs as positions: (a, b, is_same). Ids naming no record are reported, not fatal,
    so that one overrides file serves runs over subsets of the exports."""
    if overrides is None or overrides.empty:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, bool)
    index = _identifier_index(records)
    a, b, same = [], [], []
    for row in overrides.itertuples(index=False):
        left = index.get(str(row.id_a).strip().lower(), [])
        right = index.get(str(row.id_b).strip().lower(), [])
        if not left or not right:
            missing = row.id_a if not left else row.id_b
            print(f"reviewflow dedup: override {row.id_a} / {row.id_b}: no record has id {missing}", file=sys.stderr)
            continue
        for x in left:
            for y in right:
                if x != y:
                    a.append(min(x, y))
                    b.append(max(x, y))
                    same.append(row.decision == "same")
    return np.array(a, np.int64), np.array(b, np.int64), np.array(same, bool)
