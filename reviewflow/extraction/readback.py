"""Read completed extraction and risk-of-bias sheets back, validating every cell.

A sheet is an .xlsx workbook (the one reviewflow wrote, filled in) or a CSV with the same
columns (how the shipped example is kept, so it diffs in git). Every problem found is listed
in one ReviewflowError, each naming the sheet and cell (or the CSV file and row).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from reviewflow import xlsx
from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields
from reviewflow.safe import unsafe_text

from .spec import DESIGN, ROB_TOOLS, STUDY, WEIGHT, Column, RobTool, Spec, rob_columns
from .workbook import EXTRACTION_SHEET, STUDIES_SHEET, rob_tool

MAX_LISTED = 50  # offenders listed in one message; the count says how many in all


@dataclass
class Sheet:
    """Cell texts of one sheet, with where each came from."""

    source: str
    name: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # spreadsheet row / CSV line of each row
    is_csv: bool

    def where(self, row: int, col: str) -> str:
        number = self.row_numbers[row]
        if self.is_csv:
            return f"{self.source} line {number}, column {col!r}"
        letter = get_column_letter(self.header.index(col) + 1) if col in self.header else "?"
        return f"sheet {self.name!r} cell {letter}{number} ({col})"

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.header, dtype=object)


def read_sheet(path: str | Path, sheet_names: tuple[str, ...]) -> Sheet:
    """The first of ``sheet_names`` found in an .xlsx, or a CSV (dispatch on the suffix)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    name, values = xlsx.read_rows(path, sheet_names)
    if not values:
        raise ReviewflowError(f"sheet {name!r} is empty", str(path))
    header = values[0][1]
    while header and not header[-1]:
        header.pop()
    body = [(i, row[: len(header)]) for i, row in values[1:] if any(row)]
    return Sheet(str(path), name, header, [r for _, r in body], [i for i, _ in body], False)


def _read_csv(path: Path) -> Sheet:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            lines = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewflowError(f"cannot read CSV ({exc})", str(path)) from None
    if not lines:
        raise ReviewflowError("empty CSV", str(path))
    header = [h.strip() for h in lines[0][1]]
    body = []
    for line, row in lines[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ReviewflowError(
                f"{len(row)} fields, the header has {len(header)}", str(path), line
            )
        body.append((line, [unsafe_text(cell.strip()) for cell in row]))
    return Sheet(str(path), path.name, header, [r for _, r in body], [i for i, _ in body], True)


def _check_cells(sheet: Sheet, columns: list[Column]) -> list[str]:
    problems = []
    missing = [c.name for c in columns if c.name not in sheet.header]
    if missing:
        return [f"{sheet.source}: sheet {sheet.name!r} lacks the columns {missing}"]
    index = {name: sheet.header.index(name) for name in sheet.header}
    seen: dict[str, int] = {}
    for r, row in enumerate(sheet.rows):
        for column in columns:
            value = row[index[column.name]]
            where = sheet.where(r, column.name)
            if not value:
                if column.required:
                    problems.append(f"{where}: missing required value")
            elif column.kind == "list" and value not in column.values:
                problems.append(f"{where}: {value!r} is not one of {list(column.values)}")
            elif column.kind == "integer" and not value.isdigit():
                problems.append(f"{where}: {value!r} is not a whole number")
        study = row[index[STUDY]]
        if study and study in seen:
            problems.append(
                f"{sheet.where(r, STUDY)}: study {study!r} also on row "
                f"{sheet.row_numbers[seen[study]]}"
            )
        seen.setdefault(study, r)
    return problems


def _raise(problems: list[str], what: str) -> None:
    if problems:
        listed = problems[:MAX_LISTED]
        more = (
            f"\n  ... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        )
        raise ReviewflowError(
            f"{what}: {len(problems)} problem(s):\n  " + "\n  ".join(listed) + more
        )


def read_extraction(path: str | Path, spec: Spec) -> pd.DataFrame:
    """The validated extraction rows, in sheet order, with the configured columns."""
    sheet = read_sheet(path, (EXTRACTION_SHEET,))
    _raise(_check_cells(sheet, list(spec.columns)), f"{path}: extraction sheet")
    return sheet.frame()[[c.name for c in spec.columns]]


def read_rob(
    path: str | Path, extraction: pd.DataFrame, spec: Spec
) -> tuple[RobTool, pd.DataFrame]:
    """A validated RoB 2 or ROBINS-I sheet (told apart by its domain columns). Every study
    must be on the extraction sheet and its design must call for this tool.

    A study is found on the extraction sheet by its work key or DOI (the workbook's Studies
    sheet gives them per Study ID), so sheets that label a study differently -- the shipped
    example and a run's own workbook -- still meet; by its Study ID only where neither side
    has an identifier. The returned Study column is the extraction sheet's Study ID."""
    sheet = read_sheet(path, tuple(t.sheet for t in ROB_TOOLS.values()))
    tool = next((t for t in ROB_TOOLS.values() if t.sheet == sheet.name), None)
    if tool is None:  # a CSV: the number of domains says which tool (robvis' Weight may follow)
        tool = next(
            (t for t in ROB_TOOLS.values() if sheet.header in (t.columns, t.columns + [WEIGHT])),
            None,
        )
    if tool is None:
        raise ReviewflowError(
            f"columns {sheet.header} are neither "
            f"{ROB_TOOLS['rob2'].columns} nor "
            f"{ROB_TOOLS['robins_i'].columns}",
            str(path),
        )
    # robvis reads judgements by their spelling: write exactly it
    for row in sheet.rows:
        for c, name in enumerate(sheet.header):
            if name != STUDY and row[c].casefold() in tool.spelling:
                row[c] = tool.spelling[row[c].casefold()]
    problems = _check_cells(sheet, rob_columns(tool))
    designs = dict(zip(extraction[STUDY], extraction[DESIGN]))
    find = _study_finder(extraction)
    identifiers = _study_identifiers(path) if not sheet.is_csv else {}
    labels = []
    if STUDY in sheet.header:
        for r, row in enumerate(sheet.rows):
            study = find(row[sheet.header.index(STUDY)], identifiers)
            labels.append(study or row[sheet.header.index(STUDY)])
            if not row[sheet.header.index(STUDY)]:
                continue
            if study is None:
                problems.append(
                    f"{sheet.where(r, STUDY)}: unknown study {row[sheet.header.index(STUDY)]!r} "
                    "(not on the extraction sheet)"
                )
            elif rob_tool(designs[study], spec) is not tool:
                problems.append(
                    f"{sheet.where(r, STUDY)}: {study!r} is a {designs[study]}, "
                    f"assessed with {rob_tool(designs[study], spec).sheet}, not {tool.sheet}"
                )
    _raise(problems, f"{path}: {tool.sheet} sheet")
    rob = sheet.frame()[tool.columns]
    rob[STUDY] = labels
    return tool, rob


def _ids(keys: str, dois: str) -> set[str]:
    split = [v.strip() for v in f"{keys};{dois}".split(";")]
    return {fields.doi(v) or v.casefold() for v in split if v}


def _study_finder(extraction: pd.DataFrame):
    """(Study ID on the RoB sheet, {Study ID: identifiers}) -> the extraction sheet's Study ID, or
    None."""
    by_id: dict[str, set[str]] = {}
    own = {}  # Study ID -> its identifiers
    for study, keys, dois in zip(extraction[STUDY], extraction["Work key"], extraction["DOI"]):
        own[study] = _ids(keys, dois)
        for identifier in own[study]:
            by_id.setdefault(identifier, set()).add(study)

    def find(label: str, identifiers: dict[str, set[str]]):
        ids = identifiers.get(label, set())
        found = set().union(*(by_id.get(i, set()) for i in ids))
        if len(found) == 1:
            return next(iter(found))
        # The same Study ID names the same study only where no identifier says otherwise.
        return label if label in own and not found and not (ids and own[label]) else None

    return find


def _study_identifiers(path) -> dict[str, set[str]]:
    """{Study ID: work keys and DOIs} from a RoB workbook's Studies sheet (none: {})."""
    try:
        _, rows = xlsx.read_rows(path, (STUDIES_SHEET,))
    except ReviewflowError:
        return {}
    header = rows[0][1] if rows else []
    if not {STUDY, "Work key", "DOI"} <= set(header):
        return {}
    at = {name: header.index(name) for name in (STUDY, "Work key", "DOI")}
    return {
        row[at[STUDY]]: _ids(row[at["Work key"]], row[at["DOI"]])
        for _, row in rows[1:]
        if row[at[STUDY]]
    }
