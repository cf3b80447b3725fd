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
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from reviewflow.errors import ReviewflowError

COLUMNS = ["id_a", "id_b", "decision", "reviewer", "note"]
DECISIONS = ("same", "different")

log = logging.getLogger(__name__)


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
        return pd.DataFrame(columns=COLUMNS + ["line"])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("id_a", "id_b", "decision") if c not in header]
    if missing:
        raise ReviewflowError(
            f"header lacks column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}",
            str(path),
            1,
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ReviewflowError(
            f"unknown column(s) {', '.join(unknown)}; expected {','.join(COLUMNS)}", str(path), 1
        )
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ReviewflowError(
                f"expected {len(header)} fields, found {len(row)}", str(path), line
            )
        entry = (
            {c: "" for c in COLUMNS}
            | {h: cell.strip() for h, cell in zip(header, row)}
            | {"line": line}
        )
        entry["decision"] = entry["decision"].lower()
        if not entry["id_a"] or not entry["id_b"]:
            raise ReviewflowError("id_a and id_b must both be given", str(path), line)
        if entry["decision"] not in DECISIONS:
            raise ReviewflowError(
                f"decision must be 'same' or 'different', not {entry['decision']!r}",
                str(path),
                line,
            )
        out.append(entry)
    table = pd.DataFrame(out, columns=COLUMNS + ["line"])
    table.attrs["path"] = str(path)
    return table


def _identifier_index(records: pd.DataFrame) -> dict[str, list[int]]:
    """Every identifier (lower-cased) -> positions of the records carrying it."""
    index: dict[str, list[int]] = {}
    for column in ("record_id", "source_id", "doi", "pmid"):
        for position, value in enumerate(
            records[column].fillna("").astype(str).str.strip().str.lower()
        ):
            if value:
                index.setdefault(value, []).append(position)
    return index


def resolve(
    records: pd.DataFrame, overrides: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Override pairs as positions: (a, b, is_same). Ids naming no record are reported, not fatal,
    so that one overrides file serves runs over subsets of the exports."""
    if overrides is None or overrides.empty:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, bool)
    index = _identifier_index(records)
    a, b, same, lines = [], [], [], []
    line_of = overrides["line"] if "line" in overrides else pd.Series(range(2, len(overrides) + 2))
    for row, line in zip(overrides.itertuples(index=False), line_of.tolist()):
        left = index.get(str(row.id_a).strip().lower(), [])
        right = index.get(str(row.id_b).strip().lower(), [])
        if not left or not right:
            missing = row.id_a if not left else row.id_b
            log.warning("dedup: override %s / %s: no record has id %s", row.id_a, row.id_b, missing)
            continue
        for x in left:
            for y in right:
                if x != y:
                    a.append(min(x, y))
                    b.append(max(x, y))
                    same.append(row.decision == "same")
                    lines.append(line)
    _check_consistent(records, a, b, same, lines, overrides.attrs.get("path"))
    return np.array(a, np.int64), np.array(b, np.int64), np.array(same, bool)


def _check_consistent(
    records: pd.DataFrame, a: list, b: list, same: list, lines: list, path
) -> None:
    """A ``different`` row whose two records ``same`` rows join (directly or through other
    records: A same B, B same C, A different C) contradicts them: stop, naming the lines."""
    links: dict[int, list[tuple[int, int]]] = {}
    for x, y, is_same, line in zip(a, b, same, lines):
        if is_same:
            links.setdefault(x, []).append((y, line))
            links.setdefault(y, []).append((x, line))
    ids = records["record_id"].to_numpy()
    for x, y, is_same, line in zip(a, b, same, lines):
        if is_same:
            continue
        # Breadth-first over the "same" links from x, remembering the line of each step.
        came_from = {x: None}
        queue = [x]
        while queue and y not in came_from:
            node = queue.pop(0)
            for other, via in links.get(node, []):
                if other not in came_from:
                    came_from[other] = (node, via)
                    queue.append(other)
        if y not in came_from:
            continue
        steps, node = [], y
        while came_from[node] is not None:
            previous, via = came_from[node]
            steps.append((via, ids[previous], ids[node]))
            node = previous
        steps.reverse()
        joined = ", ".join(f"line {via}: {p} same {q}" for via, p, q in steps)
        raise ReviewflowError(
            f"overrides contradict each other: line {line} says {ids[x]} "
            f"and {ids[y]} are different works, "
            f"but {joined}; remove or change one of these lines",
            path,
        )
