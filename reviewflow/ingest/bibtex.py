"""BibTeX as Scopus (old and new style) and Web of Science export it.

A small parser rather than bibtexparser: bibtexparser 2.1 reads about a
thousand entries a second (100,000 records would take minutes), needs
pylatexenc, and rejects old Scopus entries that repeat a field
(``funding_details``). Database exports use a narrow slice of BibTeX: entries
``@type{key, name = {value}, ...}`` with brace-, quote- or bare values, so one
regex scan in C covers them. Anything else is an error naming the line, never
a skipped record.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.ingest.layout import Layout, normalise

# The inside of a braced value, braces nested up to four levels deep ("{[}" in
# WoS, "{COVID}" in titles). Possessive quantifiers keep a malformed value from
# backtracking.
_BRACED = r"[^{}]*+"
for _ in range(4):
    _BRACED = r"(?:[^{}]++|\{" + _BRACED + r"\})*+"
_SPACE = re.compile(r"\s*")
_TOKEN = re.compile(
    r"\s*+(?:"
    r"@(?P<type>[A-Za-z]+)\s*\{(?P<key>[^,{}\n]*),"  # entry head; Scopus keys hold spaces: "Carmone Jr.1997538"
    r"|(?P<name>[A-Za-z][\w\-:.]*(?:[ \u00a0]+\d+)?)\s*=\s*"  # field ("funding_text 1" in old Scopus)
    r"(?:\{(?P<braced>" + _BRACED + r")\}|\"(?P<quoted>[^\"]*)\"|(?P<bare>[\w.\-]+))\s*,?"
    r"|(?P<close>\})"  # entry end
    r")"
)
# @comment, @preamble and @string blocks hold no record.
_SPECIAL = re.compile(r"\s*@(?:comment|preamble|string)\s*\{" + _BRACED + r"\}", re.IGNORECASE)
_OUTSIDE = re.compile(r"[^@]*")  # text between entries is a comment in BibTeX


def entries(text: str, path: Path) -> list[dict[str, str]]:
    """Each entry as {lower-case field name: raw value}; the first of a repeated field wins."""
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    pos = _OUTSIDE.match(text).end()
    end = len(text)

    def fail(message: str, at: int):
        raise ReviewflowError(message, str(path), text.count("\n", 0, at) + 1)

    while pos < end:
        if current is None:
            special = _SPECIAL.match(text, pos)
            if special:
                pos = _OUTSIDE.match(text, special.end()).end()
                continue
        match = _TOKEN.match(text, pos)
        if match is None:
            if not text[pos:].strip():
                break
            fail("malformed BibTeX" + (" entry" if current is not None else ""), _SPACE.match(text, pos).end())
        if match["type"]:
            if current is not None:
                fail("BibTeX entry not closed before the next one starts", match.start("type"))
            current = {"_entry_type": match["type"].lower(), "_key": match["key"].strip()}
        elif match["name"]:
            if current is None:
                fail("BibTeX field outside an entry", match.start("name"))
            value = match["braced"] if match["braced"] is not None else match["quoted"] or match["bare"] or ""
            current.setdefault(match["name"].lower().replace("\u00a0", " "), value)
        else:  # close
            if current is None:
                fail("unmatched '}' outside an entry", match.start("close"))
            out.append(current)
            current = None
            pos = _OUTSIDE.match(text, match.end()).end()
            continue
        pos = match.end()
    if current is not None:
        fail("last BibTeX entry is not closed (truncated file?)", end)
    return out


_ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b"}  # fmt: skip
_ACCENT = re.compile(r"\\([\"'`^~=.]|[cvuH](?![A-Za-z]))\s*\{?([A-Za-z])")
_ESCAPE = re.compile(r"\\([&%_#$])")


def _delatex(series: pd.Series) -> pd.Series:
    """LaTeX escapes, accents and grouping braces to plain text ("{[}" -> "[", "\\&" -> "&")."""
    has_latex = series.str.contains(r"[\\{}]", regex=True)
    if not has_latex.any():
        return series
    part = series[has_latex].str.replace(r"\\i(?![A-Za-z])", "i", regex=True)  # dotless i, as in \'{\i}
    part = part.str.replace(_ACCENT, lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), regex=True)
    part = part.str.replace(_ESCAPE, r"\1", regex=True).str.replace(r"[{}]", "", regex=True)
    return series.where(~has_latex, part)


def _derive(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.copy()
    url = raw["url"] if "url" in raw else pd.Series("", index=raw.index)
    unique_id = raw["unique-id"] if "unique-id" in raw else pd.Series("", index=raw.index)
    raw["_eid"] = url.str.extract(r"[?&]eid=([^&]+)", expand=False).fillna("")
    source = raw["source"] if "source" in raw else pd.Series("", index=raw.index)
    # WoS keys and Unique-IDs are "WOS:..."; Scopus says so in "source" or its URL.
    is_wos = unique_id.str.startswith("WOS:") | raw["_key"].str.startswith("WOS:")
    is_scopus = source.str.lower().eq("scopus") | url.str.contains("scopus.com", regex=False)
    source_db = pd.Series("", index=raw.index, dtype=object)
    source_db[is_scopus] = "Scopus"
    source_db[is_wos] = "Web of Science"
    raw["_source_db"] = source_db
    return raw


LAYOUT = Layout(
    name="bibtex",
    source_db="",
    fields={
        "source_db": ("_source_db",),
        "source_id": ("unique-id", "_eid"),
        "title": ("title",),
        "authors": ("author",),
        "year": ("year",),
        "journal": ("journal", "booktitle"),
        "journal_abbrev": ("abbrev_source_title", "journal-iso"),
        "volume": ("volume",),
        "issue": ("number",),
        "pages": ("pages", "art_number", "article-number"),
        "doi": ("doi",),
        "pmid": ("pmid", "pubmed-id"),
        "issn": ("issn", "eissn"),
        "isbn": ("isbn",),
        "language": ("language",),
        "publication_type": ("document_type", "type", "_entry_type"),
        "abstract": ("abstract",),
    },
    keywords=("author_keywords", "keywords", "keywords-plus"),
    author_sep=r"\s+and\s+",
    derive=_derive,
)
_USED = {col for cols in LAYOUT.fields.values() for col in cols} | set(LAYOUT.keywords) | {"url", "source"}


def parse(text: str, path: Path) -> pd.DataFrame:
    found = entries(text, path)
    if not found:
        raise ReviewflowError("no BibTeX entries found", str(path))
    raw = pd.DataFrame([{k: v for k, v in entry.items() if k in _USED or k[0] == "_"} for entry in found], dtype=object)
    raw = raw.fillna("")
    for col in raw.columns:
        raw[col] = _delatex(raw[col].astype(str))
    return normalise(raw, LAYOUT)
