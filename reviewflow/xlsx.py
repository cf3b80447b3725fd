"""The one way reviewflow writes and reads XLSX cells, and saves workbooks reproducibly.

Text cells are always typed as strings, and text a spreadsheet would read as a formula
(= + - @, or a tab / CR before them) also gets Excel's quote prefix, so it stays text even
when a reviewer edits the cell. Unlike CSV (reviewflow.safe), no visible character is
added: the reader gets back exactly what was written.

openpyxl stamps the save time into docProps/core.xml and into every zip entry; ``save``
fixes both. Used by every XLSX the package writes (extraction and risk-of-bias
workbooks, the screening-tool export) and reads (decision files, completed sheets).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

from reviewflow.errors import ReviewflowError
from reviewflow.safe import FORMULA_START

# The earliest time a zip entry can carry; the document properties say 2000-01-01.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*")


def save(wb, path: str | Path) -> None:
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(
                zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def set_text(cell, value) -> None:
    """Write a value; text is always a string cell, never a formula."""
    if value is None or value == "":
        cell.value = None
        return
    if not isinstance(value, str):
        cell.value = value
        return
    # XML cannot hold these control characters; openpyxl would refuse the whole file.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def cell_text(value) -> str:
    """A cell's value as the text a reviewer typed (a whole number without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(
    path: str | Path, sheet_names: tuple[str, ...] = ()
) -> tuple[str, list[tuple[int, list[str]]]]:
    """(sheet name, [(spreadsheet row number, cell texts)]) of the first of ``sheet_names`` in
    the workbook (default: its first sheet). Formulas are refused: a value must be typed."""
    try:
        wb = load_workbook(path)  # not read-only and not data_only: formulas must be seen
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReviewflowError(f"cannot read workbook ({exc})", str(path)) from None
    name = (
        next((n for n in sheet_names if n in wb.sheetnames), None)
        if sheet_names
        else wb.sheetnames[0]
    )
    if name is None:
        raise ReviewflowError(
            f"no sheet named {' or '.join(map(repr, sheet_names))} (has {wb.sheetnames})", str(path)
        )
    ws = wb[name]
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    if formulas:
        raise ReviewflowError(
            f"sheet {name!r}: formulas are not accepted, type values: cells {formulas[:50]}",
            str(path),
        )
    return name, [
        (i, [cell_text(v) for v in row])
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
    ]
