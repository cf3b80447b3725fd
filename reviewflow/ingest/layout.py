"""Map a frame of raw source columns onto the record table, whole columns at a time.

Every column-based format (WoS tab-delimited, Scopus/Embase/Cochrane CSV, BibTeX)
is described by a ``Layout``: which source columns feed each record field. Like
rispy's tag maps, the differences between formats live in these tables, not in
branches; ``normalise`` is the one code path that turns raw strings into fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from reviewflow.ingest import fields, trial_ids

# Record fields a layout can fill from its columns (see reviewflow.records.COLUMNS).
# page_first/page_last are joined into a range; "pages" is the single-column fallback
# (a range, or an article number where the source gives no pages).
FIELDS = (
    "source_db", "source_id", "title", "authors", "year", "journal", "journal_abbrev",
    "volume", "issue", "page_first", "page_last", "pages", "doi", "pmid", "issn", "isbn",
    "language", "publication_type", "abstract",
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    name: str
    source_db: (
        str  # the database this format comes from, unless a "source_db" column says otherwise
    )
    fields: dict[
        str, tuple[str, ...]
    ]  # record field -> source columns; the first non-empty wins (issn: all)
    keywords: tuple[str, ...] = ()  # source columns whose terms are all kept
    register_ids: tuple[
        str, ...
    ] = ()  # source columns naming trial registrations (CENTRAL's "CTgov ID")
    author_sep: str = r"\s*;\s*"  # regex between authors
    keyword_sep: str = r"\s*;\s*"  # regex between keywords
    # Adds "_"-prefixed columns parsed out of citation strings or links, for
    # exports that hide a field there (older Embase CSV has no year column).
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    inputs: tuple[str, ...] = ()  # the source columns ``derive`` reads
    signature: tuple[str, ...] = ()  # header names that identify the format

    def __post_init__(self):
        unknown = set(self.fields) - set(FIELDS)
        assert not unknown, f"{self.name}: unknown record fields {unknown}"

    def used(self) -> set[str]:
        """Every source column this layout reads; readers may drop the rest early."""
        columns = {col for cols in self.fields.values() for col in cols}
        return columns | set(self.keywords) | set(self.register_ids) | set(self.inputs)


def pick(raw: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Per row, the first non-blank value among ``columns`` ("" if none has one).

    Values are not stripped here: every field normaliser cleans its input.
    """
    result = [""] * len(raw)
    for col in reversed(columns):
        if col in raw:
            values = raw[col].fillna("").astype(str).tolist()
            result = [v if v and not v.isspace() else r for v, r in zip(values, result)]
    return pd.Series(result, index=raw.index, dtype=object)


def _map(series: pd.Series, func) -> list:
    return [func(value) for value in series.tolist()]


def _map_repeated(series: pd.Series, func) -> list:
    """_map for columns whose values repeat (journal, year, language, type): each distinct value
    once."""
    cache: dict = {}
    return [cache[v] if v in cache else cache.setdefault(v, func(v)) for v in series.tolist()]


def _authors(values: pd.Series, separator: str) -> list[list[str]]:
    # Scopus "Author full names" carry the author ID: "Wilson, Lauren N. (58975547800)".
    values = values.str.replace(r"\s*\(\d+\)(?=\s*;|\s*$)", "", regex=True)
    return [fields.authors(fields.split_list(value, separator)) for value in values.tolist()]


def _keywords(raw: pd.DataFrame, columns: tuple[str, ...], separator: str) -> list[list[str]]:
    present = [raw[col].fillna("").astype(str).tolist() for col in columns if col in raw]
    if not present:
        return [[] for _ in range(len(raw))]
    return [
        list(dict.fromkeys(term for cell in cells for term in fields.split_list(cell, separator)))
        for cells in zip(*present)
    ]


def _issns(raw: pd.DataFrame, columns: tuple[str, ...]) -> list[str]:
    """Every ISSN of every one of ``columns`` (WoS: print SN, electronic EI), as
    ``fields.issn`` reads them from the tagged formats' lines."""
    present = [raw[col].fillna("").astype(str).tolist() for col in columns if col in raw]
    if not present:
        return [""] * len(raw)
    cache: dict = {}
    return [
        cache[cells] if cells in cache else cache.setdefault(cells, fields.issn(cells))
        for cells in zip(*present)
    ]


def _not_placeholder(series: pd.Series) -> pd.Series:
    # "[No abstract available]" and the like are placeholders, not text.
    return series.where(~(series.str.startswith("[") & series.str.endswith("]")), "")


def normalise(raw: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Record fields (everything but provenance added by read_export) from raw columns."""
    if layout.derive is not None:
        raw = layout.derive(raw)
    get = {name: pick(raw, layout.fields.get(name, ())) for name in FIELDS}
    first, last = get["page_first"], get["page_last"]
    page_range = first.where(last == "", first + "-" + last).where(first != "", last)
    page_text = page_range.where(page_range != "", get["pages"])
    page_parts = _map(page_text, fields.pages)
    out = pd.DataFrame(index=raw.index)
    out["source_db"] = get["source_db"].where(get["source_db"] != "", layout.source_db)
    for name in ("source_id", "title"):
        out[name] = _map(get[name], fields.clean)
    for name in ("journal", "journal_abbrev", "volume", "issue"):
        out[name] = _map_repeated(get[name], fields.clean)
    out["abstract"] = _not_placeholder(
        pd.Series(_map(get["abstract"], fields.clean), index=raw.index, dtype=object)
    )
    out["authors"] = _authors(get["authors"], layout.author_sep)
    out["year"] = _map_repeated(get["year"], fields.year)
    out["pages"] = [p[0] for p in page_parts]
    out["page_start"] = [p[1] for p in page_parts]
    out["page_end"] = [p[2] for p in page_parts]
    out["doi"] = _map(get["doi"], fields.doi)
    out["pmid"] = _map(get["pmid"], fields.pmid)
    out["issn"] = _issns(raw, layout.fields.get("issn", ()))
    out["isbn"] = _map_repeated(get["isbn"], fields.isbn)
    out["language"] = _map_repeated(get["language"], fields.language)
    out["publication_type"] = _map_repeated(
        get["publication_type"], lambda v: fields.publication_type(fields.split_list(v, r"\s*;\s*"))
    )
    out["keywords"] = _keywords(raw, layout.keywords, layout.keyword_sep)
    out["notes"] = ""
    id_cells = [
        raw[col].fillna("").astype(str).tolist() for col in layout.register_ids if col in raw
    ]
    out["register_ids"] = (
        [trial_ids.find(*cells) for cells in zip(*id_cells)]
        if id_cells
        else [[] for _ in raw.index]
    )
    return out.reset_index(drop=True)
