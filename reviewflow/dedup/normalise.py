"""Turn the record table into match keys, column by column.

Databases write the same publication differently: case, punctuation, diacritics,
HTML, "[Erratum appears in ...]" notes, language tags, abstract numbers, glued or
inverted author lists, abbreviated journals, mangled page ranges, DOI variants.
Everything here works on whole columns (pandas string methods) so that a million
records normalise in seconds; the output frame is what blocking and comparison
read, one row per input record in the same order.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Titles that say nothing about the work: matching on them alone would merge
# every "Editorial" of a journal. Compared after normalisation.
GENERIC_TITLES = frozenset(
    [
        "abstract", "abstracts", "announcement", "announcements", "anonymous", "authors reply", "book review",
        "book reviews", "comment", "commentary", "comments", "contents", "correction", "corrections",
        "corrigendum", "editor s note", "editorial", "editorials", "editors note", "erratum", "errata",
        "foreword", "guest editorial", "highlights", "in brief", "in memoriam", "in this issue", "index",
        "introduction", "letter", "letter to the editor", "letters", "letters to the editor", "news",
        "no title", "notes", "obituary", "preface", "reply", "response", "retraction", "summary", "title",
        "unknown", "untitled",
    ]
)

# Author strings that name nobody.
_NO_AUTHOR = re.compile(r"^(?:anonymous|anon|unknown|no authors? listed|\[?no author name available\]?|n a)$")

# A title that *is* an erratum, retraction notice or comment/reply is a different
# work from the article it refers to, even when it repeats that article's title.
_KIND_PATTERNS = [
    ("erratum", r"^(?:erratum|errata|correction|corrigendum|publisher s note|author correction)\b"),
    ("retraction", r"^(?:retraction|retraction notice|expression of concern|notice of retraction)\b"),
    ("comment", r"^(?:comment(?:s|ary)? on|re|reply|in reply|authors? reply|response to|letter to the editor)\b"
                r"|\b(?:authors? reply|reply|in reply|response)$"),
]
_KIND_TYPES = {"erratum": "erratum", "retraction": "retraction"}

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_SERIES_NUMBER = re.compile(r"\b(part|type|phase|stage|grade|class|study|series|vol|volume|chapter)\s+(i|ii|iii|iv|v|vi|vii|viii|ix|x)\b")

_CONFERENCE = re.compile(r"\b(?:conference|conf|proceedings|proc|symposium|workshop|congress|meeting|colloquium)\b")
_JOURNAL_WORD = re.compile(r"\b(?:journal|j)\b")
_PREPRINT_VENUE = re.compile(r"\b(?:arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|ssrn|research square|preprints)\b")
_PREPRINT_DOI = re.compile(r"^10\.(?:1101|21203|2139|48550|20944|31234|31219)/")
_COCHRANE_DOI = re.compile(r"^(10\.1002/14651858\.(?:cd|mr)\d+)(?:\.pub(\d+))?$")

_JOURNAL_STOP = frozenset("of the and in for on de la le der die und a an".split())
_NAME_PARTICLES = frozenset("van von der den de del della di da dos du le la el al ter ten".split())
_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def fold(series: pd.Series) -> pd.Series:
    """Lower-case ASCII: HTML tags and entities, diacritics and case removed."""
    text = series.fillna("").astype(str)
    # Inline markup ("K<inf>Ca</inf>3.1", "<sup>99m</sup>Tc") joins its neighbours.
    text = text.str.replace(r"<[^>]{0,40}>", "", regex=True)
    text = text.str.replace(r"&(?:amp|#38);", "&", regex=True).str.replace(r"&[a-z#0-9]{2,8};", " ", regex=True)
    text = text.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return text.str.lower()


def _words(text: pd.Series) -> pd.Series:
    """Punctuation to spaces, whitespace collapsed."""
    return text.str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


def titles(raw: pd.Series, journals: pd.Series) -> pd.DataFrame:
    """Title key, decoration-free; flags for kind, generic-ness and the numbers it carries."""
    text = fold(raw).str.strip()
    # A title opening in brackets is MEDLINE's English translation: keep its text.
    text = text.str.replace(r"^\[([^\]]*)\]", r"\1", regex=True)
    start = _words(text)
    kind = pd.Series("", index=raw.index)
    for name, pattern in reversed(_KIND_PATTERNS):
        kind = kind.mask(start.str.contains(pattern, regex=True), name)
    # "[Erratum appears in ...]", "[Chinese]", "[Review] [33 refs]": notes, not title.
    text = text.str.replace(r"\[[^\]]*\]|\([^)]*(?:refs?|review|english abstract)\)", " ", regex=True)
    # A citation appended in parentheses ("(vol 360, pg 542, 2009)") is not title text.
    text = text.str.replace(r"\s\((?=[^)]*\b(?:19|20)\d\d\b).*$", "", regex=True)
    # A title cut with "..." (sometimes followed by a citation) keeps only its known part.
    truncated = text.str.contains(r"\.\.\.|\u2026", regex=True)
    text = text.str.replace(r"(?:\.\.\.|\u2026).*$", "", regex=True)
    # Abstract-number prefixes: "P123:", "Abstract 45.", "OP-12 ", "#1234".
    text = text.str.replace(
        r"^\s*(?:(?:abstract|poster|p|op|oc|po|pp|ab|s|a|t|w|th|fr|sa|su|mo|tu|we)\s*[-#]?\s*\d+[a-z]?\s*[:.)\-]?\s+"
        r"|#\s*\d+\s+|\d+[a-z]?\s*[:.)]\s+)",
        "",
        regex=True,
    )
    text = text.str.replace(_SERIES_NUMBER, lambda m: f"{m.group(1)} {_ROMAN[m.group(2)]}", regex=True)
    key = _words(text)
    # Numbers distinguish Part 1 from Part 2 and 5-year from 10-year results;
    # years are left out (citations and conference names carry them).
    numbers = key.str.findall(r"\d+").map(
        lambda found: " ".join(sorted({f.lstrip("0") for f in found if not re.fullmatch(r"(?:19|20)\d\d", f)}))
    )
    n_words = key.str.count(r"\b[a-z]{3,}\b")
    journal_words = _words(fold(journals))
    echoes_journal = pd.Series(
        [bool(j) and len(j) > 8 and t.startswith(j) for t, j in zip(key, journal_words)], index=raw.index
    )
    generic = key.isin(GENERIC_TITLES) | (n_words < 2) | echoes_journal
    return pd.DataFrame(
        {"title_key": key, "kind": kind, "title_numbers": numbers, "generic": generic, "truncated": truncated}
    )


_GLUED = re.compile(r"(?<=[A-Z]\.)\s*(?=[A-Z][a-z'\-])")
_INITIALS = re.compile(r"^(?:[a-z]\.?-?){1,4}$")


def _surnames(authors) -> tuple[str, str]:
    """(all surnames, first surname word) of one record's author list.

    Accepts "Surname, Given", "Given Surname", "Surname G.", glued lists like
    "Adeli K.Lewis G. F." and "B. Abrahao; P. Parigi". Where the order is
    ambiguous ("Omulo Sylvia") every name word is kept, so that both readings match.
    """
    if not isinstance(authors, (list, tuple)) or not authors:
        return "", ""
    pieces = _GLUED.sub(";", ";".join(authors)).split(";")
    names = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        surname, comma, given = piece.partition(",")
        words = re.findall(r"[a-z][a-z'\-]*\.?", surname.lower())
        if not comma:
            long_words = [w for w in words if not _INITIALS.match(w)]
            if len(long_words) < len(words):  # "Levy YS" or "Y. S. Levy": the long words are the surname
                words = long_words
        words = [w.strip(".'-").replace("'", "").replace("-", "") for w in words]
        words = [w for w in words if len(w) > 1]
        if not words:
            continue
        name = " ".join(words)
        if _NO_AUTHOR.match(name):
            continue
        names.append(words)
    if not names:
        return "", ""
    first = [w for w in names[0] if w not in _NAME_PARTICLES] or names[0]
    return " ".join(" ".join(n) for n in names[:12]), first[0]


def authors(column: pd.Series) -> pd.DataFrame:
    # Diacritics go before splitting; capitals stay, the glued-list split needs them.
    joined = column.map(lambda names: "\x1f".join(map(str, names)) if isinstance(names, (list, tuple)) else "")
    ascii_names = joined.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.split("\x1f")
    pairs = [_surnames([n for n in names if n]) for names in ascii_names]
    return pd.DataFrame(pairs, columns=["authors_key", "first_author"], index=column.index)


def journals(raw: pd.Series) -> pd.DataFrame:
    """Journal words and initialism: "Curr Opin Lipidol" and "Current Opinion in Lipidology" share "col"."""
    text = fold(raw).str.replace(r"\[[^\]]*\]|\([^)]*\)", " ", regex=True).str.replace("&", " and ")
    words = _words(text).str.replace(r"\b(?:19|20)\d\d\b", " ", regex=True).str.split()
    words = words.map(lambda ws: [w for w in ws if w not in _JOURNAL_STOP and not w.isdigit()])
    norm = words.map(" ".join)
    initials = words.map(lambda ws: "".join(w[0] for w in ws))
    conference = norm.str.contains(_CONFERENCE) & ~norm.str.contains(_JOURNAL_WORD)
    journal_like = norm.str.contains(_JOURNAL_WORD) & ~norm.str.contains(_CONFERENCE)
    venue = np.where(conference, "conference", np.where(journal_like, "journal", ""))
    return pd.DataFrame({"journal_key": norm, "journal_init": initials, "venue": venue}, index=raw.index)


def first_number(raw: pd.Series) -> pd.Series:
    """"4 (1) (no pagination)" -> "4"; "" for "NA" and for values a parser broke ("1)", "Korsakova. Part 2. 117")."""
    text = raw.fillna("").astype(str).str.strip()
    return text.str.extract(r"^0*(\d+)(?:\s*\([^)]*\))*\s*$", expand=False).fillna("")


def page_numbers(pages: pd.Series, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """Comparable start/end page digits; "" where the source value is unreliable.

    "S417" and "417" compare equal (supplement letter dropped); a range mangled
    into a date by a spreadsheet ("11-Sep", "Nov-19") or "Suppl-29" gives nothing.
    """
    pages = pages.fillna("").astype(str)
    unreliable = pages.str.contains(_MONTHS) | pages.str.contains(r"(?i)suppl|[a-z]{2,}\d|\d[a-z]{2,}", regex=True)

    def digits(col):
        value = col.fillna("").astype(str).str.lower().str.extract(r"^[a-z]?0*(\d+)$", expand=False).fillna("")
        return value.where(~unreliable, "")

    # Electronic article numbers ("e12724", BMJ's "a1754") stand in for pages in one
    # database and not in another, so they cannot contradict a page range.
    elocator = start.fillna("").astype(str).str.lower().str.match(r"^(?:e\d+|[a-z]\d{4,})$") & end.fillna("").eq("")
    return pd.DataFrame(
        {"page_start": digits(start), "page_end": digits(end), "elocator": elocator.to_numpy()}, index=pages.index
    )


def identifiers(doi: pd.Series, pmid: pd.Series, cochrane_versions: str) -> pd.DataFrame:
    doi = doi.fillna("").astype(str).str.strip().str.lower()
    doi = doi.where(doi.str.match(r"^10\.\d{4,9}/\S+$"), "")
    # Under the "same" policy every version of a Cochrane review shares its base DOI;
    # under "distinct" the version suffix (.pub2, .pub3) makes the DOIs differ.
    cochrane = doi.str.extract(_COCHRANE_DOI)[0].fillna("")
    if cochrane_versions == "same":
        doi_key = cochrane.where(cochrane != "", doi)
    else:
        doi_key, cochrane = doi, cochrane.where(False, "")
    pmid = pmid.fillna("").astype(str).str.extract(r"^\s*(\d{1,9})\s*$", expand=False).fillna("").str.lstrip("0")
    return pd.DataFrame({"doi_key": doi_key, "pmid": pmid, "cochrane": cochrane}, index=doi.index)


def normalise(records: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """One row of match keys per record, same index as ``records``."""
    out = titles(records["title"], records["journal"])
    out = out.join(authors(records["authors"]))
    journal = records["journal"].where(records["journal"].fillna("") != "", records["journal_abbrev"])
    out = out.join(journals(journal))
    out["year"] = pd.to_numeric(records["year"], errors="coerce").fillna(-1).astype(np.int64).to_numpy()
    out["volume"] = first_number(records["volume"])
    out["issue"] = first_number(records["issue"])
    out = out.join(page_numbers(records["pages"], records["page_start"], records["page_end"]))
    out = out.join(identifiers(records["doi"], records["pmid"], settings["cochrane_versions"]))
    ptype = records["publication_type"].fillna("").astype(str)
    kind_from_type = ptype.map(_KIND_TYPES).fillna("")
    out["kind"] = out["kind"].where(out["kind"] != "", kind_from_type)
    out["abstract_only"] = ptype.eq("conference abstract")
    out["full_paper"] = ptype.isin(["journal article", "review", "clinical trial", "conference paper", "case report"])
    out["preprint"] = (
        ptype.eq("preprint") | out["journal_key"].str.contains(_PREPRINT_VENUE) | records["doi"].fillna("").str.match(_PREPRINT_DOI)
    )
    out["abstract_key"] = _words(fold(records["abstract"].fillna("").astype(str).str.slice(0, 600))).str.slice(0, 400)
    return out
