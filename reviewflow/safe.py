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
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START + ("'",)):
        return value[1:]
    return value


def _may_change(column: pd.Series, pattern: re.Pattern) -> bool:
    """False only if no cell of the column can match ``pattern`` at its start."""
    try:
        return bool(pattern.search("\x00" + "\x00".join(column.to_numpy(dtype=object, na_value=""))))
    except TypeError:  # cells that are not all text: check them one by one
        return True


def unsafe_column(column: pd.Series) -> pd.Series:
    """``column.map(unsafe_text)``, without a call per cell where no cell needs it."""
    return column.map(unsafe_text) if _may_change(column, _ESCAPED) else column


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy(deep=False)
    for col, dtype in frame.dtypes.items():
        # pandas 3 stores text as the "str" dtype, older pandas as object.
        if (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)) and _may_change(
            frame[col], _TO_ESCAPE
        ):
            out[col] = frame[col].map(safe_text)
    return out
