"""Delimited exports: WoS tab-delimited, Scopus CSV, Embase.com CSV, Cochrane CENTRAL CSV.

Each is a header row naming the columns, then one record per row. CSV is split
with the csv module (C code; it tracks line numbers, so a ragged row or a broken
quote is reported where it is); unquoted WoS tab-delimited lines are split
directly. Then ``layout.normalise`` maps columns to record fields, whole columns
at a time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.ingest.detect import zip_members
from reviewflow.ingest.layout import Layout, normalise

# The header is looked for among the first lines: Embase.com CSV puts a
# "SEARCH QUERY" preamble (query, dashes, blank line) before it.
_HEADER_SEARCH_LINES = 10


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    # WoS tab-delimited rows end with a tab after the last column: one empty
    # field more than the header names.
    trailing_delimiter: bool = False


# Older Embase CSV has no year, volume or page columns; they are only in
# "Source": "Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004".
_EMBASE_SOURCE = (
    r"^(?P<_journal>.+?) \((?P<_year>\d{4})\)"
    r"(?: (?P<_volume>[^\s:(.]+)(?::(?P<_issue>[^(.]+?))?)?"
    r"(?: \((?P<_pages>[^)]*)\))?"
    r"(?: Article Number: (?P<_article>[^.\s]+))?\."
)
_EMBASE_KEYWORDS = (
    "Author Keywords", "keywords",
    "Emtree Drug Index Terms (Major Focus)", "Emtree Drug Index Terms",
    "Emtree Medical Index Terms (Major Focus)", "Emtree Medical Index Terms",
)  # fmt: skip


def _embase_derive(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.copy()
    if "Source" in raw:
        parts = raw["Source"].str.extract(_EMBASE_SOURCE).fillna("")
        parts["_pages"] = parts["_pages"].where(parts["_pages"] != "", parts.pop("_article"))
        raw[parts.columns] = parts
    if "Open URL Link" in raw:  # the link carries the DOI when no DOI column is exported
        raw["_doi"] = (
            raw["Open URL Link"].str.extract(r"[?&]id=doi:([^&]+)", expand=False).fillna("")
        )
        raw["_pmid"] = (
            raw["Open URL Link"].str.extract(r"[?&]id=pmid:(\d+)", expand=False).fillna("")
        )
    # Emtree terms carry subheadings in parentheses, with commas inside:
    # "cyst (diagnosis, surgery)". The RIS export lists the bare terms.
    terms = [
        raw[col].fillna("").str.replace(r"\s*\([^()]*\)", "", regex=True)
        for col in _EMBASE_KEYWORDS
        if col in raw
    ]
    raw["_keywords"] = (
        [", ".join(cells) for cells in zip(*(t.tolist() for t in terms))] if terms else ""
    )
    return raw


def _link_eid(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.copy()
    if "Link" in raw:
        raw["_eid"] = raw["Link"].str.extract(r"[?&]eid=([^&]+)", expand=False).fillna("")
    return raw


LAYOUTS: dict[str, tuple[Layout, Dialect]] = {
    "wos_tab": (
        Layout(
            name="wos_tab",
            source_db="Web of Science",
            signature=("PT", "UT"),
            fields={
                "source_id": ("UT",),
                "title": ("TI",),
                "authors": ("AF", "AU"),
                "year": ("PY", "EA"),
                "journal": ("SO",),
                "journal_abbrev": ("JI", "J9"),
                "volume": ("VL",),
                "issue": ("IS",),
                "page_first": ("BP",),
                "page_last": ("EP",),
                "pages": ("AR",),
                "doi": ("DI",),
                "pmid": ("PM",),
                "issn": ("SN", "EI"),
                "isbn": ("BN",),
                "language": ("LA",),
                "publication_type": ("DT",),
                "abstract": ("AB",),
            },
            keywords=("DE", "ID"),
        ),
        Dialect("\t", trailing_delimiter=True),
    ),
    "scopus_csv": (
        Layout(
            name="scopus_csv",
            source_db="Scopus",
            signature=("EID",),
            fields={
                "source_id": ("EID", "_eid"),
                "title": ("Title",),
                "authors": ("Author full names", "Authors"),
                "year": ("Year",),
                "journal": ("Source title",),
                "journal_abbrev": ("Abbreviated Source Title",),
                "volume": ("Volume",),
                "issue": ("Issue",),
                "page_first": ("Page start",),
                "page_last": ("Page end",),
                "pages": ("Art. No.",),
                "doi": ("DOI",),
                "pmid": ("PubMed ID",),
                "issn": ("ISSN",),
                "isbn": ("ISBN",),
                "language": ("Language of Original Document",),
                "publication_type": ("Document Type",),
                "abstract": ("Abstract",),
            },
            keywords=("Author Keywords", "Index Keywords"),
            derive=_link_eid,
            inputs=("Link",),
        ),
        Dialect(","),
    ),
    "embase_csv": (
        Layout(
            name="embase_csv",
            source_db="Embase",
            signature=("Author Names",),
            fields={
                "source_id": ("PUI", "Embase Accession ID"),
                "title": ("Title", "Original Title"),
                # "Yang Z., Jiang B., Xu J., McNamara M.E."
                "authors": ("Author Names",),
                "year": ("Publication Year", "_year"),
                "journal": ("Source title", "_journal"),
                "volume": ("Volume", "_volume"),
                "issue": ("Issue", "_issue"),
                "page_first": ("First Page",),
                "page_last": ("Last Page",),
                "pages": ("_pages",),
                "doi": ("DOI", "_doi"),
                "pmid": ("Medline PMID", "_pmid"),
                "issn": ("ISSN",),
                "isbn": ("ISBN",),
                "language": ("Article Language",),
                "publication_type": ("Publication Type",),
                "abstract": ("Abstract",),
            },
            keywords=("_keywords",),
            register_ids=("Clinical Trial Numbers",),
            author_sep=r"\s*,\s*",
            keyword_sep=r"\s*,\s*",
            derive=_embase_derive,
            inputs=("Source", "Open URL Link", *_EMBASE_KEYWORDS),
        ),
        Dialect(","),
    ),
    "cochrane_csv": (
        Layout(
            name="cochrane_csv",
            source_db="Cochrane CENTRAL",
            signature=("CENTRAL ID",),
            fields={
                "source_id": ("CENTRAL ID",),
                "title": ("Title",),
                "authors": ("Author(s)",),
                "year": ("Year",),
                "journal": ("Source",),
                "volume": ("Volume",),
                "issue": ("Issue",),
                "pages": ("Pages",),
                "doi": ("DOI",),
                "pmid": ("PubMed ID",),  # "PUBMED 21314913"
                "publication_type": ("Publication Type",),
                "abstract": ("Abstract",),
            },
            keywords=("Keywords",),
            register_ids=("CTgov ID", "ICTRP ID"),
        ),
        Dialect(","),
    ),
}


def _header(text: str, layout: Layout, dialect: Dialect) -> tuple[int, list[str]] | None:
    """(0-based line index, column names) of the header row, if this is the format."""
    for number, line in _lines(text, 0):
        index = number - 1
        if index == _HEADER_SEARCH_LINES:
            break
        line = line.rstrip("\n")
        if dialect.delimiter not in line:
            continue
        quoting = csv.QUOTE_NONE if dialect.delimiter == "\t" else csv.QUOTE_MINIMAL
        names = [
            name.strip()
            for name in next(csv.reader([line], delimiter=dialect.delimiter, quoting=quoting))
        ]
        if set(layout.signature) <= set(names):
            return index, names
    return None


def _check_header(names: list[str], layout: Layout, path: Path, line: int) -> None:
    """The header has the title column, and no column the layout reads twice: with two
    columns of one name, which one feeds the field would be a guess."""
    title = layout.fields["title"][0]
    if title not in names:
        raise ReviewflowError(f"the header has no {title!r} column", str(path), line)
    used = layout.used()
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        if name in used and name in seen:
            raise ReviewflowError(
                f"columns {seen[name]} and {number} are both called {name!r}: the header "
                "must name each column once (rename or delete one and export again)",
                str(path),
                line,
            )
        seen.setdefault(name, number)


def sniffer(fmt: str):
    """A detect-table test: does the text start with this format's header?"""
    return header_sniffer(*LAYOUTS[fmt])


def header_sniffer(layout: Layout, dialect: Dialect):
    """The same test for a layout outside LAYOUTS (the register downloads, read by their own
    modules)."""
    return lambda text: _header(text, layout, dialect) is not None


def _unique(names: list[str]) -> list[str]:
    """Keep the first of repeated column names addressable as itself."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, -1) + 1
        out.append(name if seen[name] == 0 else f"{name}.{seen[name]}")
    return out


def read_rows(text: str, path: Path, layout: Layout, dialect: Dialect) -> pd.DataFrame:
    """The raw table: one column per header name, one row per record, all strings."""
    found = _header(text, layout, dialect)
    if found is None:
        raise ReviewflowError(
            f"no {layout.name} header row in the first {_HEADER_SEARCH_LINES} lines", str(path)
        )
    header_index, names = found
    _check_header(names, layout, path, header_index + 1)
    width = len(names)
    names = _unique(names)
    # Keep only the columns the layout reads: cited references and affiliations
    # are most of a row's bytes and need not stay in memory.
    keep = [i for i, name in enumerate(names) if name in layout.used()]
    take = itemgetter(*keep) if len(keep) > 1 else (lambda row: (row[keep[0]],))
    if dialect.delimiter == "\t":
        # Unquoted tab-delimited: one line per record, so plain splitting is exact
        # (and several times faster than the csv module).
        records = (
            (number, line.rstrip("\n").split("\t"))
            for number, line in _lines(text, header_index + 1)
        )
    else:
        records = _csv_records(text, header_index, path, layout, dialect)
    rows = []
    for line, row in records:
        if not row or row == [""]:  # a blank line is not a record
            continue
        if dialect.trailing_delimiter and len(row) == width + 1 and row[-1] == "":
            row.pop()
        if len(row) != width:
            where = (
                f"column {width + 1} onward has no header"
                if len(row) > width
                else f"it stops before column {len(row) + 1} ({names[len(row)]!r})"
            )
            raise ReviewflowError(
                f"record {len(rows) + 1} has {len(row)} fields but the header names "
                f"{width}: {where}",
                str(path),
                line,
            )
        rows.append(take(row))
    return pd.DataFrame(rows, columns=[names[i] for i in keep], dtype=object)


def _lines(text: str, skip: int):
    """(1-based line number, line with its newline) after the first ``skip`` lines,
    sliced one at a time so the text is never copied whole."""
    pos, number = 0, 1
    for _ in range(skip):
        pos = text.find("\n", pos) + 1 or len(text)
        number += 1
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        yield number, text[pos:end]
        pos, number = end, number + 1


def _csv_records(text: str, header_index: int, path: Path, layout: Layout, dialect: Dialect):
    """(1-based line where the record starts, fields) for each CSV record after the header."""
    reader = csv.reader(
        (line for _, line in _lines(text, header_index + 1)),
        delimiter=dialect.delimiter,
        strict=True,
    )
    start = header_index + 2
    try:
        for row in reader:
            yield start, row
            start = header_index + 2 + reader.line_num
    except csv.Error as exc:
        raise ReviewflowError(f"malformed {layout.name} row: {exc}", str(path), start) from None


def parser(fmt: str):
    """The read_export parser for one of LAYOUTS: text -> record fields frame."""
    layout, dialect = LAYOUTS[fmt]

    def parse(text: str, path: Path) -> pd.DataFrame:
        return normalise(read_rows(text, path, layout, dialect), layout)

    return parse


def is_workbook(path: Path) -> bool:
    """An XLSX file, as Embase.com offers besides CSV: a ZIP archive with a workbook in it.
    A ZIP that does not open is tried as one too, so that a damaged workbook is reported
    as such; any other ZIP is left to read_text, which says what it holds."""
    try:
        with open(path, "rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                return False
    except OSError:
        return False  # read_text reports why the file cannot be read
    members = zip_members(path)
    return members is None or any(name.startswith("xl/") for name in members)


def read_workbook(path: Path) -> pd.DataFrame:
    """Record fields from the first sheet of an XLSX export laid out like one of LAYOUTS."""
    try:
        sheet = pd.read_excel(path, header=None, dtype=str, engine="openpyxl").fillna("")
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged workbook
        raise ReviewflowError(
            f"cannot read the XLSX workbook ({type(exc).__name__}: {exc})", str(path)
        ) from None
    for layout, _ in LAYOUTS.values():
        for index in range(min(_HEADER_SEARCH_LINES, len(sheet))):
            names = [str(name).strip() for name in sheet.iloc[index]]
            if set(layout.signature) <= set(names):
                _check_header(names, layout, path, index + 1)
                rows = sheet.iloc[index + 1 :]
                rows = rows[(rows != "").any(axis=1)]  # a blank row is not a record
                raw = pd.DataFrame(rows.to_numpy(dtype=object), columns=_unique(names))
                return normalise(raw, layout)
    raise ReviewflowError(
        "a workbook without a known export header in its first rows", str(path), 1
    )
