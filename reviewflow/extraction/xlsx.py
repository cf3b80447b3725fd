"""openpyxl helpers shared by the extraction and risk-of-bias workbooks (cells are written
with reviewflow.xlsx.set_text: text stays text, formula-like text gets Excel's quote prefix)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from reviewflow.xlsx import set_text

from .spec import Column

HEADER_FONT = Font(bold=True)
PREFILLED_FILL = PatternFill("solid", fgColor="EEEEEE")
MAX_WIDTH = 60
LISTS_SHEET = "Lists"


def write_header(ws, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=col)
        set_text(cell, name)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Header row and Study column stay in view while scrolling.
    ws.freeze_panes = "B2"


def fit_widths(ws, columns: list[Column]) -> None:
    for col, column in enumerate(columns, start=1):
        lengths = [len(column.name)] + [
            max((len(line) for line in str(c.value).splitlines()), default=0)
            for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col)
            if c.value is not None
        ]
        ws.column_dimensions[get_column_letter(col)].width = min(max(lengths) + 2, MAX_WIDTH)


def add_validations(ws, columns: list[Column], last_row: int, lists_ws) -> None:
    """A dropdown per list column (values on the hidden Lists sheet, so any value text is
    allowed and the 255-character limit of inline lists does not apply); whole numbers >= 0
    for integer columns."""
    last_row = max(last_row, 2)
    for col, column in enumerate(columns, start=1):
        letter = get_column_letter(col)
        if column.kind == "list":
            list_col = get_column_letter(
                lists_ws.max_column + 1 if lists_ws["A1"].value is not None else 1
            )
            set_text(lists_ws[f"{list_col}1"], column.name)
            for i, value in enumerate(column.values, start=2):
                set_text(lists_ws[f"{list_col}{i}"], value)
            source = (
                f"{quote_sheetname(LISTS_SHEET)}!${list_col}$2:${list_col}${len(column.values) + 1}"
            )
            dv = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error=f"Choose one of: {', '.join(column.values)}",
            )
        elif column.kind == "integer":
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error="A whole number >= 0",
            )
        else:
            continue
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def new_workbook():
    """A workbook with its hidden Lists sheet (dropdown sources)."""
    wb = Workbook()
    lists = wb.active
    lists.title = LISTS_SHEET
    lists.sheet_state = "hidden"
    return wb, lists


def write_notes(wb, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    ws = wb.create_sheet("Notes")
    for col, name in enumerate(header, start=1):
        set_text(ws.cell(row=1, column=col), name)
        ws.cell(row=1, column=col).font = HEADER_FONT
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            set_text(ws.cell(row=r, column=col), value)
            ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for col in range(1, len(header) + 1):
        longest = max(
            len(str(ws.cell(row=r, column=col).value or "")) for r in range(1, len(rows) + 2)
        )
        ws.column_dimensions[get_column_letter(col)].width = min(longest + 2, 80)
    ws.freeze_panes = "A2"
