"""What every tool reader returns: the tool's records and the votes cast on them.

records: one row per record in the tool's export, in file order — ``record``
(1-based), ``location`` (file and line or row, for messages), ``tool_id`` (the
tool's own number), ``keys`` (work keys found anywhere in the record), ``doi``,
``pmid``, ``title``, ``year``, and for matching by deduplication ``authors`` (list
of "Surname, Given"), ``journal``, ``volume``, ``pages``, ``page_start``,
``page_end``, ``abstract``.
votes: one row per reviewer's vote — ``record``, ``reviewer``, ``vote``
(include | exclude | maybe) and ``reason``. A record without votes was not
screened in the tool.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.exchange.keys import keys_in
from reviewflow.ingest import fields
from reviewflow.ingest.tagged import every, first

BIB_COLUMNS = ["authors", "journal", "volume", "pages", "page_start", "page_end", "abstract"]
RECORD_COLUMNS = [
    "record",
    "location",
    "tool_id",
    "keys",
    "doi",
    "pmid",
    "title",
    "year",
] + BIB_COLUMNS

# Where the tools' tables keep what deduplication compares (first column present wins).
_BIB_ALIASES = {
    "authors": ("authors", "author"),
    "journal": ("journal", "journal_name", "secondary_title", "source title"),
    "volume": ("volume",),
    "pages": ("pages",),
    "start_page": ("start_page",),
    "end_page": ("end_page",),
    "abstract": ("abstract",),
}
# Covidence joins authors with "; ", Rayyan with " and ".
_AUTHOR_SEPARATOR = r"\s*;\s*|\s+and\s+"
VOTE_COLUMNS = ["record", "reviewer", "vote", "reason"]


@dataclass
class ToolExport:
    path: str
    records: pd.DataFrame
    votes: pd.DataFrame


def make_export(path, records: list[dict], votes: list[dict]) -> ToolExport:
    if not records:
        raise ReviewflowError("no records found", str(path))
    return ToolExport(
        str(path),
        pd.DataFrame(records, columns=RECORD_COLUMNS),
        pd.DataFrame(votes, columns=VOTE_COLUMNS),
    )


def record_row(
    index: int,
    location: str,
    tool_id,
    values,
    doi="",
    pmid="",
    title="",
    year="",
    authors="",
    journal="",
    volume="",
    pages="",
    abstract="",
) -> dict:
    """One record; ``values`` are all its field values, searched for work keys."""
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    found_year = fields.year(str(year)) if year else None
    # Rayyan ends its page ranges with a dash ("1187-92-").
    page_parts = fields.page_fields(fields.clean(pages).rstrip("-"))
    return {
        "record": index,
        "location": location,
        "tool_id": fields.clean(tool_id),
        "keys": keys_in(str(v) for v in flat if v is not None),
        "doi": fields.doi(doi),
        "pmid": fields.pmid(pmid),
        "title": fields.clean(title),
        "year": str(found_year) if found_year else "",
        "authors": author_list(authors),
        "journal": fields.clean(journal),
        "volume": fields.clean(volume),
        **page_parts,
        "abstract": fields.clean(abstract),
    }


def author_list(value) -> list[str]:
    """Authors from a list (RIS) or a table cell: "; " or " and " joined, or, as
    ASReview writes its tables, the text of a Python list."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = value[1:-1]
    names = value if isinstance(value, list) else fields.split_list(value, _AUTHOR_SEPARATOR)
    return fields.authors(str(name) for name in names)


def ris_record(
    index: int, location: str, tags: dict[str, list[str]], tool_id: str, pmid: str = ""
) -> dict:
    """``record_row`` for a RIS record's tags (ingest.ris.tagged_records): DOI, title, year and
    the bibliographic fields from their usual tags."""
    pages = "-".join(p for p in (first(tags, "SP"), first(tags, "EP")) if p)
    return record_row(
        index,
        location,
        tool_id,
        [value for values in tags.values() for value in values],
        doi=first(tags, "DO"),
        pmid=pmid,
        title=first(tags, "TI", "T1"),
        year=first(tags, "PY", "Y1"),
        authors=every(tags, "AU") or every(tags, "A1"),
        journal=first(tags, "T2", "JO", "JF"),
        volume=first(tags, "VL"),
        pages=pages,
        abstract=first(tags, "AB"),
    )


TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")


def is_table(path) -> bool:
    """Tools name their exports by format; anything else is read as RIS."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def read_table(path) -> pd.DataFrame:
    """A tool's CSV, TSV or XLSX export as text cells ("" for empty)."""
    path = Path(path)
    if not path.is_file():
        raise ReviewflowError("no such file", str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                sep="\t" if suffix == ".tsv" else ",",
            )
    except Exception as exc:
        raise ReviewflowError(f"not a readable table ({exc})", str(path)) from None
    if frame.empty:
        raise ReviewflowError("no records found", str(path))
    return frame.fillna("")


def column(frame: pd.DataFrame, *names: str) -> list[str]:
    """The first column present under any of ``names`` (case-insensitive), else blanks.

    Plain lists, because the readers walk records one by one and indexing a
    pandas column per cell is slow.
    """
    lower = {c.strip().lower(): c for c in frame.columns}
    for name in names:
        if name.lower() in lower:
            return frame[lower[name.lower()]].astype(str).tolist()
    return [""] * len(frame)


def bib_columns(frame: pd.DataFrame) -> list[dict]:
    """Per row, the ``record_row`` arguments authors, journal, volume, pages, abstract."""
    found = {name: column(frame, *aliases) for name, aliases in _BIB_ALIASES.items()}
    start, end = found.pop("start_page"), found.pop("end_page")
    found["pages"] = [
        p or "-".join(x for x in (s, e) if x) for p, s, e in zip(found["pages"], start, end)
    ]
    return [dict(zip(found, row)) for row in zip(*found.values())]


def rows(frame: pd.DataFrame) -> list[list[str]]:
    """Every row's cell values, for the key search."""
    return frame.astype(str).values.tolist()
