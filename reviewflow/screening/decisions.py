"""Reviewers' decisions: config/screening/title_abstract.csv and full_text.csv.

A decision's ``id`` names a work by any identifier of any member of its
duplicate cluster -- a DOI in any form, a PMID, a database's own ID, a
record_id or the work key ("rf-...") -- so decisions survive re-clustering.
Several rows may speak of one work (two reviewers, two members' IDs); they must
not contradict each other: per column at most one distinct non-empty value.
Every problem in a file is reported at once, each with its line.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reviewflow import xlsx
from reviewflow.decision_files import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS
from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields
from reviewflow.ingest.detect import read_text
from reviewflow.records import LIST_SEP
from reviewflow.safe import unsafe_text

YES_NO = ("yes", "no")
DECISIONS = ("include", "exclude")

log = logging.getLogger(__name__)


def identifier_key(text: str) -> str:
    """One comparable form of an identifier: DOIs and PMIDs normalised, the rest case-folded."""
    text = str(text).strip()
    if doi := fields.doi(text):
        return "doi:" + doi
    return fields.pmid(text) or text.casefold()


class Index(dict):
    """identifier key -> cluster_ids; ``split`` holds the keys of works the dedup overrides
    split."""

    split: frozenset[str] = frozenset()


def build_index(base: pd.DataFrame, works: pd.DataFrame | None = None) -> Index:
    """identifier key -> cluster_ids, from every member's record_id, source_id, DOI, PMID and work
    key,
    and the works table's other keys: ``aliases`` (keys the work had before works merged, still
    naming it) and ``split_from`` (the key of a work the overrides split: it names every part)."""
    index = Index()
    for column in ("record_id", "source_id", "doi", "pmid", "work_key"):
        for value, cluster in zip(base[column], base["cluster_id"]):
            if value:
                index.setdefault(identifier_key(value), set()).add(cluster)
    split = set()
    for column in ("aliases", "split_from"):
        if works is None or column not in works:
            continue
        for value, cluster in zip(
            works[column].fillna("").astype(str), works["cluster_id"].astype(str)
        ):
            for key in filter(None, (k.strip() for k in value.split(LIST_SEP))):
                index.setdefault(identifier_key(key), set()).add(cluster)
                if column == "split_from":
                    split.add(identifier_key(key))
    index.split = frozenset(split)
    return index


@dataclass
class Row:
    line: int
    values: dict[str, str]
    origin: str = ""  # where a row not read from the decision file came from (a tool import)

    @property
    def key(self) -> str:
        return identifier_key(self.values["id"])

    @property
    def at(self) -> str:
        return f"{self.origin} row {self.line}" if self.origin else f"line {self.line}"


@dataclass
class Decision:
    """All rows about one work, merged: ``values`` holds each column's one value."""

    path: str
    rows: list[Row] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path}:{','.join(str(r.line) for r in self.rows)}"


def read_rows(path: str | Path, columns: tuple[str, ...]) -> list[Row]:
    """Read a decision file: a CSV (any of the separators and encodings a spreadsheet saves)
    or an XLSX workbook such as results/screening/to_screen.xlsx filled in.

    Columns other than ``columns`` (the to_screen sheet's title, authors, ...) are ignored,
    with a note. A row that gives nothing but its id (and reviewer) is not decided yet and
    is skipped: a partly screened sheet leaves its other works pending. Malformed rows are
    an error naming every bad line."""
    path = Path(path)
    if not path.is_file():
        raise ReviewflowError(
            "decision file not found (a header line alone is a valid empty file)", str(path)
        )
    is_csv = not _is_xlsx(path)
    lines = _csv_lines(path) if is_csv else xlsx.read_rows(path)[1]
    header = [h.strip() for h in lines[0][1]] if lines else []
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ReviewflowError(
            f"the file is empty: with no decisions yet it holds the header line "
            f"{','.join(columns)}",
            str(path),
            1,
        )
    if "id" not in header:
        raise ReviewflowError(
            f"header must have an 'id' column (it has: {', '.join(header)}; known columns: "
            f"{', '.join(columns)})",
            str(path),
            1,
        )
    known = [h for h in header if h in columns]
    if known == ["id"] and len(columns) > 1:
        raise ReviewflowError(
            f"no decision column: the header has {', '.join(header)} (known: {', '.join(columns)})",
            str(path),
            1,
        )
    ignored = [h for h in header if h not in columns]
    if ignored:
        log.warning(
            "%s: note: columns %s ignored (a decision file reads %s)",
            path,
            ", ".join(ignored),
            ", ".join(columns),
        )
    problems: list[str] = []
    rows: list[Row] = []
    for line, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue
        # Cells past the header's last name must be empty (a spreadsheet may save them).
        if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
            problems.append(f"line {line}: {len(cells)} fields, the header has {len(header)}")
            continue
        values = {c: "" for c in columns}
        values.update(
            {
                h: unsafe_text(c.strip()) if is_csv else c.strip()
                for h, c in zip(header, cells)
                if h in columns
            }
        )
        if not any(values[c] for c in columns if c not in ("id", "reviewer")):
            continue  # not decided yet: the work stays pending
        if not values["id"]:
            problems.append(f"line {line}: empty id")
            continue
        rows.append(Row(line, values))
    if problems:
        raise ReviewflowError(
            f"{len(problems)} malformed rows:\n  " + "\n  ".join(problems), str(path)
        )
    return rows


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
    """The CSV's rows with their line numbers. Decoded as the exports are (UTF-8 or a
    UTF-16 BOM; other bytes are an error with the byte, line and an iconv command); the
    separator is the one of , ; or tab that makes the first line a header with an id
    (Excel in a European locale saves ";")."""
    if path.stat().st_size == 0:
        return []
    text = read_text(path)
    first = text.split("\n", 1)[0]
    separators = [
        sep
        for sep in (",", ";", "\t")
        if "id" in [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    ]
    separator = max(separators, key=first.count, default=",")
    line = 0  # the last line read whole
    out = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
        for cells in reader:
            line = reader.line_num
            out.append((line, cells))
    except csv.Error as exc:
        # The bad record starts on the line after the last one read whole.
        hint = " (a quote opened there is never closed)" if "end of data" in str(exc) else ""
        raise ReviewflowError(f"malformed CSV: {exc}{hint}", str(path), line + 1) from None
    return out


def _check_title_abstract(row: Row) -> list[str]:
    row.values["decision"] = row.values["decision"].lower()
    if row.values["decision"] not in DECISIONS:
        return [f"{row.at}: decision {row.values['decision']!r} is not include or exclude"]
    return []


def _check_full_text(row: Row) -> list[str]:
    v = row.values
    problems = []
    for column in ("retrieved", "adults_only", "outcome_reported"):
        v[column] = v[column].lower()
        if v[column] not in YES_NO + ("",):
            problems.append(f"{row.at}: {column} {v[column]!r} is not yes, no or empty")
    if v["participants"] and not re.fullmatch(r"\d+", v["participants"]):
        problems.append(f"{row.at}: participants {v['participants']!r} is not a whole number")
    v["override"] = v["override"].lower()
    if v["override"] not in DECISIONS + ("",):
        problems.append(f"{row.at}: override {v['override']!r} is not include, exclude or empty")
    if v["override"] and not v["override_reason"]:
        problems.append(f"{row.at}: an override needs an override_reason")
    if v["override"] and v["retrieved"] != "yes":
        problems.append(f"{row.at}: an override needs a retrieved report (retrieved: yes)")
    return problems


def _resolve(
    rows: list[Row], index: dict[str, set[str]], path: str, labels: dict[str, str]
) -> dict[str, list[Row]]:
    """Group rows by the cluster their id names; unknown or ambiguous ids are errors."""
    by_cluster: dict[str, list[Row]] = {}
    problems = []
    split = getattr(index, "split", frozenset())
    for row in rows:
        clusters = index.get(row.key, set())
        works = ", ".join(sorted(labels.get(c, c) for c in clusters))
        if not clusters:
            problems.append(f"{row.at}: id {row.values['id']!r} names no known record")
        elif len(clusters) > 1 and row.key in split:
            problems.append(
                f"{row.at}: id {row.values['id']!r} is the key of a work that "
                "the dedup overrides split into "
                f"works {works}; name the one meant by its key or a record's identifier"
            )
        elif len(clusters) > 1:
            problems.append(
                f"{row.at}: id {row.values['id']!r} names records of several works "
                f"({works}); name one by its record_id or work key, "
                "or merge them with a dedup override if they are one work"
            )
        else:
            by_cluster.setdefault(next(iter(clusters)), []).append(row)
    if problems:
        raise ReviewflowError(
            f"{len(problems)} unresolved decisions:\n  " + "\n  ".join(problems), path
        )
    return by_cluster


def _merge(
    by_cluster: dict[str, list[Row]], path: str, labels: dict[str, str]
) -> dict[str, Decision]:
    """One Decision per cluster; contradicting rows are errors, reviewers are joined."""
    decisions = {}
    problems = []
    for cluster, rows in by_cluster.items():
        merged: dict[str, str] = {}
        clash = []
        for column in rows[0].values:
            found = sorted({r.values[column] for r in rows if r.values[column]})
            if column == "reviewer":
                merged[column] = "; ".join(found)
            elif column != "id":
                if len(found) > 1:
                    # Each value with the rows that give it, so the reviewer sees which line says
                    # what.
                    said = [
                        f"{f!r} ({', '.join(r.at for r in rows if r.values[column] == f)})"
                        for f in found
                    ]
                    clash.append(f"{column} {' vs '.join(said)}")
                merged[column] = found[0] if found else ""
        if clash:
            same = len({r.key for r in rows}) == 1
            what = (
                "the same record decided twice differently"
                if same
                else "members of one work decided differently"
            )
            lines = ", ".join(f"{r.at} ({r.values['id']})" for r in rows)
            problems.append(
                f"{what}: work {labels.get(cluster, cluster)}, {lines}: {'; '.join(clash)}"
            )
            continue
        merged["id"] = rows[0].values["id"]
        decisions[cluster] = Decision(path, rows, merged)
    if problems:
        raise ReviewflowError(
            f"{len(problems)} conflicting decisions:\n  " + "\n  ".join(sorted(problems)), path
        )
    return decisions


def rows_from_frame(frame: pd.DataFrame, columns: tuple[str, ...], origin: str) -> list[Row]:
    """Decision rows made elsewhere (a screening tool's export), as if read from a file."""
    return [
        Row(line, {c: str(v.get(c, "") or "").strip() for c in columns}, origin)
        for line, v in enumerate(frame.to_dict("records"), start=1)
    ]


def _load(path, columns, check, index, labels, extra: list[Row] = ()) -> dict[str, Decision]:
    """The file's rows and any ``extra`` rows go through the same checks together,
    so a tool's decision that contradicts the file's is a conflict, not a silent win."""
    path = str(path)
    rows = read_rows(path, columns) + list(extra)
    problems = [p for row in rows for p in check(row)]
    if problems:
        raise ReviewflowError(f"{len(problems)} bad values:\n  " + "\n  ".join(problems), path)
    return _merge(_resolve(rows, index, path, labels), path, labels)


def load_title_abstract(path, index, labels=None, extra: list[Row] = ()) -> dict[str, Decision]:
    """cluster_id -> merged title/abstract decision (values: decision, reason, reviewer)."""
    return _load(path, TITLE_ABSTRACT_COLUMNS, _check_title_abstract, index, labels or {}, extra)


def full_text_columns(facts=()) -> tuple[str, ...]:
    """FULL_TEXT_COLUMNS plus the review's own facts (the facts its rules test that
    are not among them), placed before ``study``."""
    own = tuple(dict.fromkeys(f for f in facts if f not in FULL_TEXT_COLUMNS))
    at = FULL_TEXT_COLUMNS.index("study")
    return FULL_TEXT_COLUMNS[:at] + own + FULL_TEXT_COLUMNS[at:]


def load_full_text(
    path, index, labels=None, extra: list[Row] = (), facts=()
) -> dict[str, Decision]:
    """cluster_id -> merged full-text facts (values: ``full_text_columns(facts)``)."""
    return _load(path, full_text_columns(facts), _check_full_text, index, labels or {}, extra)
