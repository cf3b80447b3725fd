"""BibTeX as Scopus (old and new style) and Web of Science export it.

A small parser rather than bibtexparser: bibtexparser 2.1 reads about a
thousand entries a second (100,000 records would take minutes), needs
pylatexenc, and rejects old Scopus entries that repeat a field
(``funding_details``). Database exports use a narrow slice of BibTeX: entries
``@type{key, name = {value}, ...}`` with brace-, quote- or bare values, which a
short scanner handles (str.find over the long values, small regexes for names).
Anything else is an error naming the line, never a skipped record. The fields
then go through the same column-mapping step as the tabular formats.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from reviewflow.errors import ReviewflowError
from reviewflow.ingest.layout import Layout, normalise

_SPACE = re.compile(r"\s*")
_SPECIAL = re.compile(r"@\s*(?:comment|preamble|string)\s*\{", re.IGNORECASE)  # hold no record
_HEAD = re.compile(
    r"@\s*([A-Za-z]+)\s*\{([^,{}\n]*),"
)  # Scopus keys hold spaces: "Carmone Jr.1997538"
# Inside an entry: its closing brace, or a field name and the value's opening
# delimiter ("funding_text 1" is a name in old Scopus files).
_NEXT = re.compile(r"\s*(?:(\})|([A-Za-z][\w\-:.]*(?:[ \u00a0]+\d+)?)\s*=\s*([{\"]?))")
_BARE = re.compile(r"[\w.\-]+")
_AFTER = re.compile(r"\s*(,?)")
_ENTRY_START = re.compile(r"\n[ \t]*@[A-Za-z]+[ \t]*\{")


def _braced_end(text: str, start: int) -> int:
    """Index of the "}" closing a value whose "{" is just before ``start``; -1 if none.

    str.find runs at memchr speed; a regex over long abstracts does not.
    """
    depth, pos = 1, start
    while True:
        close = text.find("}", pos)
        if close == -1:
            return -1
        opening = text.find("{", pos, close)
        if opening == -1:
            depth -= 1
            if depth == 0:
                return close
            pos = close + 1
        else:
            depth += 1
            pos = opening + 1


def entries(text: str, path: Path, keep=None) -> list[dict[str, str]]:
    """Each entry as {lower-case field name: raw value}; the first of a repeated field wins.

    ``keep`` limits the fields stored (entry type and key are always kept).
    Text outside entries is a comment in BibTeX; every "@" starts an entry.
    """

    def fail(message: str, at: int):
        at = _SPACE.match(text, at).end()
        raise ReviewflowError(message, str(path), text.count("\n", 0, at) + 1)

    def value_end(start: int, end: int) -> int:
        # An unbalanced "{" would swallow the entries after it: a value never
        # spans the start of another entry.
        if end == -1 or (
            text.find("@", start, end) != -1 and _ENTRY_START.search(text, start, end)
        ):
            fail("unbalanced braces in BibTeX value (or a truncated file)", start)
        return end

    names: dict[str, str] = {}  # field name as written -> lower-case key
    out: list[dict[str, str]] = []
    pos = text.find("@")
    while pos != -1:
        special = _SPECIAL.match(text, pos)
        if special:
            pos = text.find("@", value_end(pos, _braced_end(text, special.end())))
            continue
        head = _HEAD.match(text, pos)
        if head is None:
            fail("malformed BibTeX entry head", pos)
        entry = {"_entry_type": head[1].lower(), "_key": head[2].strip()}
        pos = head.end()
        while True:
            token = _NEXT.match(text, pos)
            if token is None:
                if _SPACE.match(text, pos).end() == len(text):
                    fail("last BibTeX entry is not closed (truncated file?)", len(text))
                fail("malformed BibTeX entry", pos)
            close, written, opener = token.groups()
            if close:
                pos = token.end()
                break
            start = token.end()
            if opener == "{":
                end = value_end(start, _braced_end(text, start))
                pos = end + 1
            elif opener == '"':
                end = value_end(start, text.find('"', start))
                pos = end + 1
            else:
                bare = _BARE.match(text, start)
                if bare is None:
                    fail("malformed BibTeX value", start)
                end = pos = bare.end()
            name = names.get(written) or names.setdefault(
                written, written.lower().replace("\u00a0", " ")
            )
            if (keep is None or name in keep) and name not in entry:
                entry[name] = text[start:end]
            after = _AFTER.match(text, pos)
            pos = after.end()
            if not after[1]:  # no comma: the entry must end here
                if not text.startswith("}", pos):
                    fail("expected ',' or '}' after a BibTeX field", pos)
                pos += 1
                break
        out.append(entry)
        pos = text.find("@", pos)
    return out


_ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
            "H": "\u030b"}  # fmt: skip
_ACCENT = re.compile(r"\\([\"'`^~=.]|[cvuH](?![A-Za-z]))\s*\{?([A-Za-z])")
_ESCAPE = re.compile(r"\\([&%_#$])")


def _delatex(series: pd.Series) -> pd.Series:
    """LaTeX escapes, accents and grouping braces to plain text ("{[}" -> "[", "\\&" -> "&")."""
    # "in" tests run at memchr speed; a regex search per long abstract does not.
    has_latex = pd.Series(
        ["\\" in v or "{" in v or "}" in v for v in series.tolist()], index=series.index
    )
    if not has_latex.any():
        return series
    part = series[has_latex].str.replace(
        r"\\i(?![A-Za-z])", "i", regex=True
    )  # dotless i, as in \'{\i}
    part = part.str.replace(
        _ACCENT, lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), regex=True
    )
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
    author_sep=r"\s+(?i:and)\s+",
    derive=_derive,
    inputs=("url", "source"),
)


def parse(text: str, path: Path) -> pd.DataFrame:
    found = entries(text, path, keep=LAYOUT.used())
    if not found:
        raise ReviewflowError("no BibTeX entries found", str(path))
    raw = pd.DataFrame(found, dtype=object)
    raw = raw.fillna("")
    for col in raw.columns:
        raw[col] = _delatex(raw[col].astype(str))
    return normalise(raw, LAYOUT)
