"""Normalisers for single bibliographic fields, shared by every parser."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")


def doi(value: str | None) -> str:
    """Lower-case DOI without URL prefix, "doi:" or percent-encoding; "" if none."""
    if not value:
        return ""
    text = unquote(str(value).strip())
    text = _DOI_PREFIX.sub("", text).strip()
    match = _DOI_SHAPE.search(text)
    if not match:
        return ""
    found = match.group(0).rstrip(".,;").lower()
    # "10.1234/." is no DOI once its trailing punctuation is gone.
    return found if _DOI_SHAPE.fullmatch(found) else ""


_PAGES = re.compile(
    r"^\s*([A-Za-z]*\d+[A-Za-z]*)\s*(?:[-\u2010-\u2015]+\s*([A-Za-z]*\d+[A-Za-z]*))?\s*$"
)


# What exporters write when there are no pages (Ovid PsycINFO splits the first
# over SP/EP as "No" / "Specified").
_NO_PAGES = re.compile(r"^\W*(?:no\W*t?\W*specified|no pagination|n/?a)\W*$", re.IGNORECASE)


def pages(value: str | None) -> tuple[str, str, str]:
    """Return (pages, start, end); "1005-7" becomes ("1005-1007", "1005", "1007")."""
    if not value:
        return "", "", ""
    text = " ".join(str(value).split())
    if _NO_PAGES.match(text):
        return "", "", ""
    match = _PAGES.match(text)
    if not match:
        return text, "", ""
    start, end = match.group(1), match.group(2) or ""
    if end and start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return (f"{start}-{end}" if end else start), start, end


def page_fields(start: str | None, end: str | None = None, article: str | None = None) -> dict:
    """pages/page_start/page_end from a start and end (or a "start-end" start).

    Without a page range the article number (Scopus C7 / "Art. No.", WoS AR)
    stands in, as MEDLINE's PG does for e-locators, so that the same work
    read from two formats has the same pages.
    """
    text = "-".join(p.strip() for p in (start, end) if p and p.strip())
    page_text, first, last = pages(text)
    if not page_text and article:
        # WoS marks some article numbers "UNSP" (unspecified): not part of it.
        page_text, first, last = pages(re.sub(r"^UNSP\s+", "", article.strip()))
    return {"pages": page_text, "page_start": first, "page_end": last}


_STANDARD_NUMBER = re.compile(r"[0-9Xx][0-9Xx -]*[0-9Xx]")


def _standard_numbers(values, lengths: tuple[int, ...]) -> list[str]:
    """Digit strings (hyphens and spaces dropped) of the given lengths.

    "1573-3602 1050-5350" holds two ISSNs: a run is split at spaces when it
    is not itself a valid length.
    """
    if isinstance(values, str):
        values = [values]
    found = []
    for value in values or []:
        for run in _STANDARD_NUMBER.findall(str(value)):
            digits = re.sub(r"[ -]", "", run).upper()
            pieces = (
                [digits]
                if len(digits) in lengths
                else [re.sub("-", "", p).upper() for p in run.split()]
            )
            found.extend(p for p in pieces if len(p) in lengths and p[:-1].isdigit())
    return found


def issn(values) -> str:
    """Every distinct ISSN among the values, as NNNN-NNNC, "; "-joined in the order given
    ("20964129 (ISSN)" -> "2096-4129").

    A journal has a print and an electronic ISSN, and which of them a database
    lists first, or at all, differs by database and format: Embase's CSV puts both
    in one cell, its RIS writes two SN lines, WoS splits them over SN and EI. Keeping
    only the first made the field depend on the format a record came from and lost
    the other number, by which a reviewer can still find the journal; every ISSN
    is the same from each format and loses nothing.
    """
    numbers = _standard_numbers(values, (8,))
    return "; ".join(dict.fromkeys(f"{n[:4]}-{n[4:]}" for n in numbers))


def isbn(values) -> str:
    """First ISBN (10 or 13 characters once hyphens are dropped) among the values."""
    numbers = _standard_numbers(values, (10, 13))
    return numbers[0] if numbers else ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def year(value: str | None) -> int | None:
    """First plausible four-digit year in the text."""
    if not value:
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")


def author(value: str) -> str:
    """One author as "Surname, Given" (given names or initials as the source gives them).

    Handles "Levy, Yair", "Levy Y", "Levy YS", "B. Abrahao", "Y. S. Levy".
    """
    text = " ".join(str(value).replace("\u00a0", " ").split()).strip(" ;,")
    if not text:
        return ""
    if "," in text:
        surname, _, given = text.partition(",")
        return f"{surname.strip()}, {given.strip()}".rstrip(", ")
    parts = text.split(" ")
    if len(parts) == 1:
        return text
    # "Levy YS" / "Levy Y.S.": MEDLINE and Scopus initials follow the surname.
    if _INITIALS.fullmatch(parts[-1]):
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    # "B. Abrahao" / "Yair Levy": given names first.
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def authors(values) -> list[str]:
    return [a for a in (author(v) for v in values or []) if a]


def clean(value) -> str:
    """Collapse whitespace; NFC so the same text from two files compares equal."""
    if value is None:
        return ""
    text = str(value)
    # Printable text has no whitespace but " " (isprintable is False for every
    # other Unicode space and control), so most cells skip the split and join.
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())
    return unicodedata.normalize("NFC", text)


# Source vocabulary -> PUBLICATION_TYPES. Keys are lower-case; the first match
# in a record's list of types wins, in the order of this table.
PUBLICATION_TYPE_MAP = {
    "retracted publication": "journal article",
    "trial registry record": "trial registration",  # CENTRAL's M3 for its register records
    "trial registration": "trial registration",
    "retraction of publication": "retraction",
    "retraction": "retraction",
    "erratum": "erratum",
    "published erratum": "erratum",
    "correction": "erratum",
    "conference abstract": "conference abstract",
    "meeting abstract": "conference abstract",
    "abstract": "conference abstract",
    "conference paper": "conference paper",
    "conference review": "conference paper",
    "proceedings paper": "conference paper",
    "congresses": "conference paper",
    "comment": "comment",
    "note": "comment",
    "letter": "letter",
    "editorial": "editorial",
    "editorial material": "editorial",
    "case reports": "case report",
    "case report": "case report",
    "systematic review": "review",
    "meta-analysis": "review",
    "review": "review",
    "randomized controlled trial": "clinical trial",
    "clinical trial": "clinical trial",
    "book chapter": "book chapter",
    "chapter": "book chapter",
    "chap": "book chapter",
    "book": "book",
    "preprint": "preprint",
    "thesis": "thesis",
    "dissertation": "thesis",
    "journal article": "journal article",
    "article": "journal article",
    "article in press": "journal article",
    "jour": "journal article",
    "conf": "conference paper",
    "abst": "conference abstract",
    "other": "other",
    "gen": "",  # RIS "generic": says nothing about the type
}


def publication_type(values) -> str:
    """Map one or several source publication types onto our vocabulary."""
    if isinstance(values, str):
        values = [values]
    found = {str(v).strip().lower() for v in values or [] if v}
    for key, mapped in PUBLICATION_TYPE_MAP.items():
        if key in found:
            return mapped
    return "other" if found else ""


_LANGUAGES = {
    "eng": "English",
    "en": "English",
    "english": "English",
    "ger": "German",
    "de": "German",
    "german": "German",
    "fre": "French",
    "fr": "French",
    "french": "French",
    "spa": "Spanish",
    "es": "Spanish",
    "spanish": "Spanish",
    "chi": "Chinese",
    "zh": "Chinese",
    "chinese": "Chinese",
    "jpn": "Japanese",
    "ja": "Japanese",
    "japanese": "Japanese",
    "ita": "Italian",
    "it": "Italian",
    "italian": "Italian",
    "por": "Portuguese",
    "pt": "Portuguese",
    "portuguese": "Portuguese",
    "rus": "Russian",
    "ru": "Russian",
    "russian": "Russian",
    "pol": "Polish",
    "polish": "Polish",
    "dut": "Dutch",
    "nl": "Dutch",
    "dutch": "Dutch",
    "kor": "Korean",
    "korean": "Korean",
}


def language(value) -> str:
    """Language as an English name ("eng", "EN", "English" -> "English")."""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = clean(value)
    return _LANGUAGES.get(text.lower(), text)


# --- identifiers and list splitting used by the tabular readers ----------------

# A PMID is a positive number of at most nine digits, written bare or labelled
# ("PMID: 21314913", CENTRAL's "PUBMED 21314913", in a list of its sources).
_PMID = re.compile(r"^0*([1-9]\d{0,8})$")
_LABELLED_PMID = re.compile(
    r"(?<![^\s,;(])(?:PMID|PUBMED)\s*:?\s*0*([1-9]\d{0,8})(?!\d)", re.IGNORECASE
)


def pmid(value) -> str:
    """PubMed ID as digits without leading zeros ("PUBMED 21314913" -> "21314913"); "" if none.

    The one PMID rule of the package: every reader and the deduplication keys use it.
    Other numbers a PMID column or tag may hold are not PMIDs: an Embase or Scopus
    accession, a PMC ID ("PMC1234567"), a tool's own record number, CENTRAL's
    "EMBASE 643589775".
    """
    text = clean(value)
    if match := _PMID.match(text) or _LABELLED_PMID.search(text):
        return match.group(1)
    return ""


def split_list(value, separator: str) -> list[str]:
    """Split a joined list on a regex separator, dropping empty and placeholder items.

    Placeholders such as Scopus "[No author name available]" or WoS "[Anonymous]"
    name nobody, so they are not list items.
    """
    items = (item.strip() for item in re.split(separator, clean(value)))
    return [item for item in items if item and not (item[0] == "[" and item[-1] == "]")]
