"""The normalised record table that every export format is read into.

One row per input record. Multi-valued fields (authors, keywords) are lists in
memory and joined with ``LIST_SEP`` when written to CSV.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.contracts import RECORDS

LIST_SEP = "; "

# The table's columns, in order, with what each holds: reviewflow.contracts.RECORDS
# (docs/contracts.md). Every parser returns exactly these columns.
COLUMNS = RECORDS.names
LIST_COLUMNS = tuple(column.name for column in RECORDS.columns if column.type == "list")
PUBLICATION_TYPES = RECORDS.column("publication_type").values
# The fields that cite a record, in the table's order: what the works table, the screening
# tools' sheets and the extraction's citations show of a work's primary record.
CITATION_FIELDS = RECORDS.needs(
    "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid"
)


def cell_text(value) -> str:
    """A table cell as text, "" for a missing one (None, NaN, <NA>); a list cell as its str."""
    return "" if value is None or (not isinstance(value, list) and pd.isna(value)) else str(value)


def make_record_id(source_file: str, source_index: int) -> str:
    return f"{source_file}:{source_index}"


def to_frame(rows: list[dict]) -> pd.DataFrame:
    """Build the record table from parser rows, filling absent fields."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in LIST_COLUMNS:
        frame[col] = _objects(
            [v if isinstance(v, list) else [] for v in frame[col].tolist()], frame.index
        )
    for col in COLUMNS:
        if col in LIST_COLUMNS or col in ("year", "source_index"):
            continue
        # Column-wise parsers give text columns that are all str already; converting
        # those again would copy every cell of every read for nothing.
        if pd.api.types.infer_dtype(frame[col].to_numpy(), skipna=False) != "string":
            frame[col] = frame[col].astype(object).fillna("").astype(str)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    frame["source_index"] = frame["source_index"].astype(int)
    return frame


def _objects(values: list, index) -> pd.Series:
    # A list comprehension over the cells, not Series.map: these columns are
    # touched once per record on every read and write.
    return pd.Series(values, index=index, dtype=object)


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write a record table; list columns are joined, cells are formula-safe."""
    from reviewflow.safe import safe_frame

    out = frame.copy(deep=False)
    for col in LIST_COLUMNS:
        if col in out:
            out[col] = _objects([LIST_SEP.join(v) for v in out[col].tolist()], out.index)
    safe_frame(out).to_csv(path, index=False, lineterminator="\n")


def read_csv(path, needs=()) -> pd.DataFrame:
    """Read a table written by ``write_csv`` back into memory form.

    A file that cannot be read as CSV, or that lacks a column of ``needs``, is an
    error naming it: another table handed in by mistake must not fail later as a
    missing column deep in a stage."""
    from reviewflow.errors import ReviewflowError
    from reviewflow.safe import unsafe_column

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise ReviewflowError("no such file", str(path)) from None
    except (OSError, ValueError) as exc:  # pandas' ParserError and EmptyDataError are ValueErrors
        raise ReviewflowError(
            f"cannot read the table ({exc})".replace("\n", " "), str(path)
        ) from None
    missing = [column for column in needs if column not in frame.columns]
    if missing:
        raise ReviewflowError(
            f"not the table expected here: no column {', '.join(missing)}", str(path), 1
        )
    for col in frame.columns:
        frame[col] = unsafe_column(frame[col])
    for col in LIST_COLUMNS:
        if col in frame:
            frame[col] = _objects(
                [s.split(LIST_SEP) if s else [] for s in frame[col].tolist()], frame.index
            )
    if "year" in frame:
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    if "source_index" in frame:
        frame["source_index"] = frame["source_index"].astype(int)
    return frame
