"""Formula-injection guard for every CSV and XLSX cell reviewflow writes.

A spreadsheet treats a cell starting with = + - @ (or a tab / carriage return
before them) as a formula. OWASP's advice is to prefix such text with a single
quote; ``unsafe_text`` strips exactly that prefix again when reviewflow reads its
own tables back, so round trips are lossless.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A cell that safe_text changes, and one that unsafe_text changes, found in a
# whole column's text at once (each cell after a NUL): most columns hold none,
# and are then passed through without a Python call per cell.
_TO_ESCAPE = re.compile(r"\x00['=+\-@\t\r]")
_ESCAPED = re.compile(r"\x00'['=+\-@\t\r]")


def safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_START + ("'",)):
        # A leading quote is escaped too, so that unsafe_text can tell our
        # prefix from a quote that was really in the data.
        return "'" + value
    return value


def unsafe_text(value):
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value[1:].startswith(FORMULA_START + ("'",))
    ):
        return value[1:]
    return value


def _guarded(column: pd.Series, pattern: re.Pattern, function) -> pd.Series:
    """``column.map(function)``, calling it only on the cells ``pattern`` finds at their start."""
    values = column.to_numpy(dtype=object, na_value="")
    try:
        joined = "\x00" + "\x00".join(values)
    except TypeError:  # cells that are not all text: each one is looked at
        return column.map(function)
    if joined.count("\x00") != len(values):  # a NUL in the text itself would misnumber the cells
        return column.map(function)
    cells, index, previous = [], -1, 0
    for match in pattern.finditer(joined):
        # A match starts at the NUL before its cell: the NULs up to it number the cell.
        index += joined.count("\x00", previous, match.start() + 1)
        previous = match.start() + 1
        cells.append(index)
    if not cells:
        return column
    out = column.copy()
    out.iloc[cells] = [function(values[i]) for i in cells]
    return out


def unsafe_column(column: pd.Series) -> pd.Series:
    """``column.map(unsafe_text)``."""
    return _guarded(column, _ESCAPED, unsafe_text)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy(deep=False)
    for col, dtype in frame.dtypes.items():
        # pandas 3 stores text as the "str" dtype, older pandas as object.
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            column = frame[col]
            guarded = _guarded(column, _TO_ESCAPE, safe_text)
            if guarded is not column:
                out[col] = guarded
    return out
