"""Formula-injection guard for every CSV and XLSX cell reviewflow writes.

A spreadsheet treats a cell starting with = + - @ (or a tab / carriage return
before them) as a formula. OWASP's advice is to prefix such text with a single
quote; ``unsafe_text`` strips exactly that prefix again when reviewflow reads its
own tables back, so round trips are lossless.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        # pandas 3 stores text as the "str" dtype, older pandas as object.
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_text)
    return out
