"""Turn the record table into match keys, column by column.

Databases write the same publication differently: case, punctuation, diacritics,
HTML, "[Erratum appears in ...]" notes, language tags, abstract numbers, glued or
inverted author lists, abbreviated journals, mangled page ranges, DOI variants.
Everything here works on whole columns: each distinct value is processed once,
and text fields are joined into one string per column so that every regular
expression runs a single time in C over the column. The output frame is what
blocking and comparison read, one row per input record in the same order.
"""

from __future__ import annotations

import html
import re
import unicodedata

import numpy as np
import pandas as pd

from reviewflow.config import DedupSettings
from reviewflow.dedup.registrations import trial_keys
from reviewflow.ingest import fields

# Titles that say nothing about the work: matching on them alone would merge
# every "Editorial" of a journal. Compared after normalisation.
GENERIC_TITLES = frozenset(
    [
        "abstract",
        "abstracts",
        "announcement",
        "announcements",
        "anonymous",
        "authors reply",
        "book review",
        "book reviews",
        "comment",
        "commentary",
        "comments",
        "contents",
        "correction",
        "corrections",
        "corrigendum",
        "editor s note",
        "editorial",
        "editorials",
        "editors note",
        "erratum",
        "errata",
        "foreword",
        "guest editorial",
        "highlights",
        "in brief",
        "in memoriam",
        "in this issue",
        "index",
        "introduction",
        "letter",
        "letter to the editor",
        "letters",
        "letters to the editor",
        "news",
        "no title",
        "notes",
        "obituary",
        "preface",
        "reply",
        "response",
        "retraction",
        "summary",
        "title",
        "unknown",
        "untitled",
    ]
)

# A title that *is* an erratum, retraction notice or comment/reply is a different
# work from the article it refers to, even when it repeats that article's title.
# (Searched by _lines_matching, which gives these patterns a line break to start a line with:
# "\n" finds a line's start faster than "^", which the engine would try at every character.)
_START = r"\n[^a-z0-9\n]*(?:"
_KIND_PATTERNS = [
    (
        "erratum",
        _START + r"erratum|errata|correction|corrigendum|publisher'?s note|author correction)\b",
    ),
    # A correction that repeats its article's title followed by the article's citation:
    # Web of Science's "Title (vol 360, pg 542, 2009)", Embase's "Title (N Engl J Med (2009) 360
    # (542-544))".
    (
        "erratum",
        r"\((?:vol|volume)[ \t]*\d+[ \t]*,[ \t]*(?:pg|page|p)\.?[ \t]*\d+"
        r"|\([^()\n]*\((?:19|20)\d\d\)[ \t]*\d+[ \t]*(?:\([^()\n]*\)[ \t]*)+\)[ \t.]*$",
    ),
    ("retraction", _START + r"retraction|expression of concern|notice of retraction)\b"),
    (
        "comment",
        _START + r"comments? on|commentary on|re|reply|in reply|authors?'? "
        r"reply|response to|letter to the editor)\b"
        # A title ending in a reply ("Authors' reply", "In reply"): the word boundary is looked
        # back at from the word, which the engine finds by its letters.
        r"|(?:reply(?<=\breply)|response(?<=\bresponse))[^a-z0-9\n]*$",
    ),
]
_KIND_TYPES = {"erratum": "erratum", "retraction": "retraction"}

# Words a library puts around a title to say what kind of item it is (a tutorial, a
# panel, an extended abstract); one library adds them and another does not.
_DECORATION = (
    r"tutorial|tutorials|panel|panels|session|sessions|abstract|abstracts|extended|only|summary|"
    r"demonstration|demo|description|experience|short|version|invited|talk|keynote|poster|position|"
    r"paper|book review|review"
)

_ROMAN = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
}
# (Each word looks back for its word boundary: a leading \b would be tried at every character.)
_SERIES_NUMBER = re.compile(
    "("
    + "|".join(
        rf"{word}(?<=\b{word})"
        for word in "part type phase stage grade class study series vol volume chapter".split()
    )
    + r")[ \t]+(i|ii|iii|iv|v|vi|vii|viii|ix|x)\b"
)

# (searched by _lines_matching over a column's joined journal keys)
_CONFERENCE = (
    r"\b(?:conference|conf|proceedings|proc|symposium|workshop|congress|meeting|colloquium)\b"
)
_JOURNAL_WORD = r"\b(?:journal|j)\b"
_PREPRINT_VENUE = r"\b(?:arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|ssrn|research square|preprints)\b"
_PREPRINT_DOI = re.compile(r"^10\.(?:1101|21203|2139|48550|20944|31234|31219)/")
_COCHRANE_DOI = re.compile(r"^(10\.1002/14651858\.(?:cd|mr)\d+)(?:\.pub(\d+))?$")

_JOURNAL_STOP = frozenset(
    "of the and in for on a an de des du la le les et der die das und fur y e i".split()
)
_NAME_PARTICLES = frozenset("van von der den de del della di da dos du le la el al ter ten".split())
_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


# Bulk text: a column's values joined by newlines into one string, so that every
# regular expression runs once in C over the whole column instead of once per
# value from Python. Patterns use [ \t] rather than \s so they never cross a line.
def _join(values) -> str:
    return "\x00".join(values).replace("\n", " ").replace("\r", " ").replace("\x00", "\n")


def _split(text: str, n: int) -> list[str]:
    return text.split("\n") if n else []


def _sub(pattern: str, repl, text: str) -> str:
    return re.sub(pattern, repl, text, flags=re.M)


def _sub_line_starts(pattern: str, repl: str, text: str) -> str:
    """``_sub`` of a pattern anchored at line starts ("^" + ``pattern``), found after a literal
    line break, which the engine skips to, instead of trying "^" at every character."""
    return _sub("\n" + pattern, "\n" + repl, "\n" + text)[1:]


def _lines_matching(pattern: str, text: str, n: int) -> np.ndarray:
    """Per line: does ``pattern`` match somewhere in it (ASCII text)? The pattern is searched
    in "\n" + ``text``, so that "\n" starts a pattern at the start of a line; other patterns
    must not match a line break first."""
    newlines = np.flatnonzero(np.frombuffer(text.encode("ascii"), np.uint8) == 10)
    starts = np.fromiter(
        (m.start() for m in re.finditer(pattern, "\n" + text, flags=re.M)), dtype=np.int64
    )
    flags = np.zeros(n, dtype=bool)
    # A match at position p of the padded text starts at text[p - 1], or, led by "\n", at
    # text[p]: either way on the line after the newlines before p.
    flags[np.searchsorted(newlines, starts)] = True
    return flags


# Characters that NFKD does not fold to ASCII and that would otherwise vanish,
# gluing words ("Shiga-Toxin\u2013Associated" -> "toxinassociated") or dropping a
# letter ("S\u00f8ren" -> "Sren"). Greek letters are spelled out, as the databases
# that cannot print them do ("TNF-\u03b1" = "TNF-alpha").
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa "
    "lambda mu nu xi omicron pi rho sigma sigma tau "
    "upsilon phi chi psi omega"
).split()
_FOLD = {
    **{chr(0x3B1 + k): f" {name} " for k, name in enumerate(_GREEK)},
    **{chr(0x391 + k): f" {name} " for k, name in enumerate(_GREEK) if k != 17},
    "\u00b5": " mu ",
    "\u03d0": " beta ",
    "\u03d1": " theta ",
    "\u03d5": " phi ",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u2032", "'"),
    "\u00f8": "o",
    "\u00d8": "O",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
    "\u0131": "i",
    "\u00f0": "d",
    "\u00fe": "th",
}


def _to_ascii(text: str) -> str:
    """HTML tags and entities out, symbols spelled out, diacritics folded (case kept)."""
    # Inline markup ("K<inf>Ca</inf>3.1", "<sup>99m</sup>Tc") joins its neighbours.
    text = _sub(r"<[^>\n]{0,40}>", "", text)
    # Entities become their character ("&alpha;" -> alpha, "&amp;" -> "&").
    text = _sub(
        r"&[a-zA-Z#0-9]{2,8};", lambda m: re.sub(r"\s", " ", html.unescape(m.group())), text
    )
    text = unicodedata.normalize("NFKD", text)
    # Only the rare non-ASCII characters go through Python; the rest stays in C.
    # Anything not in _FOLD (accents NFKD split off, other scripts) is dropped.
    return re.sub(r"[^\x00-\x7f]", lambda m: _FOLD.get(m.group(), ""), text)


# Every ASCII character but a-z, 0-9 and the line break, to a space.
_NOT_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isdigit() or "a" <= chr(c) <= "z" or c == 10)}
)


def _words(text: str) -> str:
    """Punctuation to single spaces, no spaces at line ends.

    (A table lookup per character and a split per line: a regular expression replacing each
    run of punctuation would be called at every space of the column.)"""
    if not text.isascii():
        text = _sub(r"[^\x00-\x7f]", " ", text)
    return "\n".join(" ".join(line.split()) for line in text.translate(_NOT_WORD).split("\n"))


def _strip_lines(text: str, chars: str) -> str:
    # (a line-anchored regular expression would try every position of the column)
    return "\n".join(line.strip(chars) for line in text.split("\n"))


_OUR_WORDS = re.compile(r"(?:tum|col|behavi|fav|lab|hum|vap|hon|neighb|flav|arm)$")


def _american_our(match: re.Match) -> str:
    """ "tumour" -> "tumor", but "four", "hour", "your" stay."""
    before = match.string[max(0, match.start() - 6) : match.start()]
    return "or" if _OUR_WORDS.search(before) else match.group()


# British and American spellings of one word meet in one form ("haematological"
# = "hematological", "randomised" = "randomized", "tumour" = "tumor"). Applied to
# both sides alike, a rewrite that hits an unrelated word ("does" -> "des") is
# harmless. Every pattern starts with a literal, so the regex engine skips ahead fast.
_SPELLING = [
    (r"is(e|ed|es|ing|ation|ations)\b", r"iz\1"),  # randomised, organisation
    (r"ys(e|ed|es|ing)\b", r"yz\1"),  # analysed
    (r"our(?=s?\b)", _american_our),
    (r"tre\b", "ter"),  # centre, fibre, litre
    (r"ll(ed|ing)\b", r"l\1"),  # modelling, labelled, signalling
    (r"ogue\b", "og"),  # catalogue, analogue
]


def _spelling(text: str) -> str:
    # haem, anaemia, paediatric, oedema, oesophagus, foetal
    text = text.replace("ae", "e").replace("oe", "e")
    for pattern, repl in _SPELLING:
        text = _sub(pattern, repl, text)
    return text


def _per_unique(values: pd.Series, func) -> pd.DataFrame:
    """Run ``func`` (list of unique strings -> DataFrame) once per distinct value."""
    codes, uniques = pd.factorize(values.fillna("").astype(str), sort=False)
    table = func(list(uniques))
    return table.iloc[codes].set_index(values.index)


def _title_table(values: list[str]) -> pd.DataFrame:
    n = len(values)
    text = _to_ascii(_join(values)).lower()
    text = _strip_lines(text, " \t")
    # A title opening in brackets is MEDLINE's English translation: keep its text.
    text = _sub_line_starts(r"\[([^\]\n]*)\]", r"\1", text)
    kind = np.full(n, "", dtype=object)
    for name, pattern in reversed(_KIND_PATTERNS):
        kind[_lines_matching(pattern, text, n)] = name
    # A library's label for the kind of item, not part of its title: "(Tutorial)",
    # "(panel session)", "(Extended Abstract)", "Tutorial: ...", "... - Book Review".
    text = _sub(r"\((?:" + _DECORATION + r")(?:[ \t]+(?:" + _DECORATION + r"))*\)", " ", text)
    text = _sub_line_starts(
        r"(?:" + _DECORATION + r")(?:[ \t]+(?:" + _DECORATION + r"))*[ \t]*:[ \t]+", "", text
    )
    text = _sub(
        r"[ \t]+-[ \t]+(?:" + _DECORATION + r")(?:[ \t]+(?:" + _DECORATION + r"))*[ \t.]*$",
        "",
        text,
    )
    # "[Erratum appears in ...]", "[Chinese]", "[Review] [33 refs]": notes, not title.
    text = _sub(r"\[[^\]\n]*\]|\([^)\n]*(?:refs?|review|english abstract)\)", " ", text)
    # A note the export cut off ("...syndrome.[Erratum appears in Am J Transplant. 20") too.
    text = _sub(r"\[[^\]\n]*$", " ", text)
    # A citation appended in parentheses ("(vol 360, pg 542, 2009)") is not title text.
    text = _sub(r"[ \t]\((?=[^)\n]*\b(?:19|20)\d\d\b)[^\n]*$", "", text)
    # A title cut with "..." (sometimes followed by a citation) keeps only its known part.
    truncated = _lines_matching(r"\.\.\.", text, n)
    text = _sub(r"\.\.\.[^\n]*$", "", text)
    # Abstract-number prefixes: "P123:", "Abstract 45.", "OP-12 ", "#1234".
    text = _sub_line_starts(
        r"[ "
        r"\t]*(?:(?:abstract|poster|p|op|oc|po|pp|ab|s|a|t|w|th|fr|sa|su|mo|tu|we)[ "
        r"\t]*[-#]?[ \t]*\d+[a-z]?[ \t]*"
        r"[:.)\-]?[ \t]+|#[ \t]*\d+[ \t]+|\d+[a-z]?[ \t]*[:.)][ \t]+)",
        "",
        text,
    )
    text = _SERIES_NUMBER.sub(lambda m: f"{m.group(1)} {_ROMAN[m.group(2)]}", text)
    # The main title, before a subtitle ("Title: subtitle", "Title? Subtitle", "Title - subtitle",
    # "Title, subtitle", "Title (subtitle)"), which one database may leave out; kept only when
    # it is a title in its own right (three words or more).
    whole, cut = (
        _split(text, n),
        _split(_sub(r"(?:[:?,]|[ \t](?:\(|-[ \t])|\.[ \t])[^\n]*", "", text), n),
    )
    text = _spelling(_words(text))
    has_digits = _lines_matching(r"[0-9][^\n]*", text, n)
    keys = _split(text, n)
    main = [""] * n
    # (only the titles a subtitle was cut from can have a main title of their own)
    cut_at = [k for k in range(n) if cut[k] != whole[k]]
    for k, m in zip(
        cut_at, _split(_spelling(_words("\n".join(cut[k] for k in cut_at))), len(cut_at))
    ):
        if m != keys[k] and m.count(" ") >= 2 and _has_content_words(m.split(), 3):
            main[k] = m
    words = [k.split() for k in keys]
    few_words = [not _has_content_words(ws, 2) for ws in words]
    # The four longest title words, sorted: a blocking key that survives word order
    # changes and insertions at either end, which defeat the prefix and suffix keys.
    longest = [" ".join(sorted(_longest_four(ws))) if len(ws) >= 3 else "" for ws in words]
    # Numbers distinguish Part 1 from Part 2 and 5-year from 10-year results;
    # years are left out (citations and conference names carry them).
    numbers = [
        " ".join(
            sorted(
                {
                    d.lstrip("0")
                    for d in re.findall(r"\d+", _THOUSANDS.sub(_joined, k))
                    if not _YEAR.fullmatch(d)
                }
            )
        )
        if digits
        else ""
        for k, digits in zip(keys, has_digits.tolist())
    ]
    standalone = [
        " ".join(
            sorted({w.lstrip("0") for w in k.split() if w.isdigit() and not _YEAR.fullmatch(w)})
        )
        if digits
        else ""
        for k, digits in zip(keys, has_digits.tolist())
    ]
    return pd.DataFrame(
        {
            "title_key": keys,
            "title_main": main,
            "title_numbers_standalone": standalone,
            "kind": kind,
            "title_numbers": numbers,
            "few_words": few_words,
            "truncated": truncated,
            "title_words": longest,
        }
    )


def _has_content_words(words: list[str], k: int) -> bool:
    """At least ``k`` words of three characters or more that are not numbers."""
    for word in words:
        if len(word) >= 3 and not word.isdigit():
            k -= 1
            if not k:
                return True
    return False


def _longest_four(words: list[str]) -> list[str]:
    """The four longest distinct words, the alphabetically first among equally long ones."""
    distinct = sorted(set(words))
    distinct.sort(key=len, reverse=True)  # stable: equal lengths stay alphabetical
    return distinct[:4]


_YEAR = re.compile(r"(?:19|20)\d\d")
# Thousands written with a separator ("10 000", "10,000") are one number; a series
# number ("part 2 100 cases") is not the first group of one.
_THOUSANDS = re.compile(
    r"(?<!part )(?<!type )(?<!phase )(?<!stage )(?<!grade )\b(\d{1,3})((?: \d{3})+)\b"
)


def _joined(match: re.Match) -> str:
    return match.group(1) + match.group(2).replace(" ", "")


def titles(raw: pd.Series, journal_texts: pd.Series) -> pd.DataFrame:
    """Title key, decoration-free; flags for kind, generic-ness and the numbers it carries.

    A title that starts with its journal's name ("Communications of the AIS Volume 52
    Paper 45") is a placeholder, as generic as "Editorial"."""
    out = _per_unique(raw, _title_table)
    echoes_journal = [
        len(j) > 8 and t.startswith(j) for t, j in zip(out["title_key"], journal_texts)
    ]
    out["generic"] = (
        out["title_key"].isin(GENERIC_TITLES).to_numpy()
        | out.pop("few_words").to_numpy()
        | echoes_journal
    )
    return out


# Every ASCII character but a-z, ";" and the line break, to a space.
_NOT_NAME = str.maketrans(
    {chr(c): " " for c in range(128) if not ("a" <= chr(c) <= "z" or chr(c) in ";\n")}
)
# Corporate or empty author names, compared after folding.
_NO_AUTHOR_NAMES = r"(?:anonymous|anon|unknown|no authors? listed|no author name available|n a)"


def _author_table(values: list[str]) -> pd.DataFrame:
    """Surnames of each record's authors ("; "-joined list) and the first one.

    Accepts "Surname, Given", "Given Surname", "Surname G.", glued lists like
    "Adeli K.Lewis G. F." and "B. Abrahao; P. Parigi". Where the order is
    ambiguous ("Omulo Sylvia") every name word is kept, so that both readings match.
    """
    n = len(values)
    text = _to_ascii(_join(values))
    # "Adeli K.Lewis G. F.": a new name starts after an initial's dot. (Here and below, each
    # pattern starts with the character it needs and looks back from there: one that starts
    # with a lookbehind is tried at every character of the column.)
    text = _sub(r"\.(?<=[A-Z]\.)[ \t]*(?=[A-Z][a-z'\-])", ".;", text)
    # "Surname, Given": keep the surname.
    text = _sub(r",[^;\n]*", "", text)
    # "Levy YS", "Y. S. Levy", "Levy Y.-S.": initials out (capital letters alone or in runs of up to
    # 3).
    text = _sub(r"[A-Z](?<![A-Za-z'][A-Z])\.?-?(?:[A-Z]\.?-?){0,2}(?![A-Za-z'])", " ", text)
    text = text.lower()
    # A hyphen joins two surnames that other databases write apart ("Mendoza-Vasquez" =
    # "Mendoza Vasquez"): it separates words; an apostrophe ("O'Neill") does not.
    text = text.replace("'", "").replace("-", " ")
    # Every other character but letters and ";" to a space, a run of them to one space.
    text = _sub(" {2,}", " ", text.translate(_NOT_NAME))
    text = _sub(r"(?<![a-z])[a-z](?![a-z])", " ", text)
    # (Patterns that start at a literal, a line break or a letter, which the engine finds fast;
    # a leading lookbehind or \b would be tried at every character.)
    text = _sub(r"([;\n])[ ]*" + _NO_AUTHOR_NAMES + r"[ ]*(?=;|$)", r"\1", "\n" + text)[1:]
    text = _sub(r"et al(?<=\bet al)\b", "", text)
    text = _sub(" {2,}", " ", text)
    text = _sub(r" ?;[ ;]*", ";", text)
    text = _strip_lines(text, "; ")
    lines = _split(text, n)
    keys, firsts = [], []
    for line in lines:
        names = line.split(";")[:12]
        keys.append(" ".join(names))
        first = (
            [w for w in names[0].split() if w not in _NAME_PARTICLES] or names[0].split() or [""]
        )
        firsts.append(first[0])
    return pd.DataFrame({"authors_key": keys, "first_author": firsts})


def _abstract_table(values: list[str]) -> pd.DataFrame:
    text = _words(_to_ascii(_join([v[:450] for v in values])).lower())
    return pd.DataFrame({"abstract_key": [line[:400] for line in _split(text, len(values))]})


def _journal_table(values: list[str]) -> pd.DataFrame:
    """Journal words and initialism: "Curr Opin Lipidol" and "Current Opinion in Lipidology" share
    "col"."""
    text = _sub(r"\[[^\]\n]*\]|\([^)\n]*\)", " ", _to_ascii(_join(values)).lower()).replace(
        "&", " and "
    )
    # The initialism is of the name before a subtitle ("The VLDB Journal - The International
    # Journal on Very Large Data Bases" = "VLDB J."); a one-word name is its own
    # initialism, so an acronym ("VLDB", "BMJ") meets the name it abbreviates.
    main = _words(_sub(r"(?::|[ \t]-[ \t]).*$", "", text))
    text = _words(text)
    lines = _split(text, len(values))

    def split_words(line):
        return [w for w in line.split() if w not in _JOURNAL_STOP and not w.isdigit()]

    words = [split_words(line) for line in lines]
    norm = pd.Series([" ".join(ws) for ws in words], dtype=object)
    main_words = [split_words(line) for line in _split(main, len(values))]
    initials = [ws[0] if len(ws) == 1 else "".join(w[0] for w in ws) for ws in main_words]
    joined = "\n".join(norm)
    conference, journal, preprint = (
        _lines_matching(pattern, joined, len(values))
        for pattern in (_CONFERENCE, _JOURNAL_WORD, _PREPRINT_VENUE)
    )
    venue = np.where(
        conference & ~journal, "conference", np.where(journal & ~conference, "journal", "")
    )
    return pd.DataFrame(
        {
            "journal_key": norm,
            "journal_init": initials,
            "venue": venue,
            "preprint_venue": preprint,
            "journal_text": lines,
        }
    )


def journals(raw: pd.Series) -> pd.DataFrame:
    return _per_unique(raw, _journal_table)


def first_number(raw: pd.Series) -> pd.Series:
    """ "4 (1) (no pagination)" -> "4"; "" for "NA" and for values a parser broke ("1)", "Korsakova.
    Part 2. 117")."""

    def table(values):
        text = pd.Series(values, dtype=object).str.strip()
        return pd.DataFrame(
            {"n": text.str.extract(r"^0*(\d+)(?:\s*\([^)]*\))*\s*$", expand=False).fillna("")}
        )

    return _per_unique(raw, table)["n"]


def supplement_numbers(issue: pd.Series, volume: pd.Series) -> pd.Series:
    """The supplement number ("Suppl. 3", "SUPPL. 1", "S3") from issue or volume; "" if none."""

    def table(values):
        text = pd.Series(values, dtype=object).str.lower()
        found = text.str.extract(
            r"\bsup(?:p|pl|ple|plement)?\b\.?[ \t]*0*(\d+)|(?:^|\x1f)s0*(\d+)(?:$|\x1f)"
        )
        first, second = found[0].to_numpy(), found[1].to_numpy()
        return pd.DataFrame(
            {"n": np.where(pd.notna(first), first, np.where(pd.notna(second), second, ""))},
            dtype=object,
        )

    text = lambda col: col.fillna("").astype(str).str.replace("\x1f", " ")  # noqa: E731
    return _per_unique(text(issue) + "\x1f" + text(volume), table)["n"]


_UNRELIABLE_PAGES = re.compile(r"(?i)suppl|[a-z]{2,}\d|\d[a-z]{2,}")
_PAGE_DIGITS = re.compile(r"^[a-z]?0*(\d+)$")
_ELOCATOR = re.compile(r"^(?:e\d+|[a-z]\d{4,})$")


def _page_digits(text: str, unreliable) -> str:
    found = None if unreliable else _PAGE_DIGITS.search(text.lower())
    return found.group(1) if found else ""


def page_numbers(pages: pd.Series, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """Comparable start/end page digits; "" where the source value is unreliable.

    "S417" and "417" compare equal (supplement letter dropped); a range mangled
    into a date by a spreadsheet ("11-Sep", "Nov-19") or "Suppl-29" gives nothing.
    """

    def table(values):
        # (one pass per distinct value: a column of pandas string methods would loop eight times)
        starts, ends, elocators = [], [], []
        for value in values:
            pages, start, end = value.split("\x1f")
            unreliable = _MONTHS.search(pages) or _UNRELIABLE_PAGES.search(pages)
            starts.append(_page_digits(start, unreliable))
            ends.append(_page_digits(end, unreliable))
            # Electronic article numbers ("e12724", BMJ's "a1754") stand in for pages in one
            # database and not in another, so they cannot contradict a page range.
            elocators.append(end == "" and _ELOCATOR.match(start.lower()) is not None)
        return pd.DataFrame({"page_start": starts, "page_end": ends, "elocator": elocators})

    text = lambda col: col.fillna("").astype(str).str.replace("\x1f", " ")  # noqa: E731
    return _per_unique(text(pages) + "\x1f" + text(start) + "\x1f" + text(end), table)


def identifiers(doi: pd.Series, pmid: pd.Series, cochrane_versions: str) -> pd.DataFrame:
    ids = _per_unique(doi, lambda values: _doi_table(values, cochrane_versions))
    ids["pmid"] = _per_unique(
        pmid, lambda values: pd.DataFrame({"pmid": [fields.pmid(v) for v in values]})
    )["pmid"]
    return ids


def _doi_table(values: list[str], cochrane_versions: str) -> pd.DataFrame:
    doi = pd.Series(values, dtype=object).str.strip().str.lower()
    doi = doi.where(doi.str.match(r"^10\.\d{4,9}/\S+$"), "")
    # Under the "same" policy every version of a Cochrane review shares its base DOI;
    # under "distinct" the version suffix (.pub2, .pub3) makes the DOIs differ.
    cochrane = doi.str.extract(_COCHRANE_DOI)[0].fillna("")
    if cochrane_versions == "same":
        doi_key = cochrane.where(cochrane != "", doi)
    else:
        doi_key, cochrane = doi, pd.Series("", index=doi.index)
    preprint = doi.str.match(_PREPRINT_DOI).to_numpy()
    return pd.DataFrame({"doi_key": doi_key, "cochrane": cochrane, "preprint_doi": preprint})


# A library that cannot print a letter writes "?" ("?zsu", "Jos?") where another
# writes the letter or its HTML entity ("&#214;zsu"). The skeleton of a text drops
# both, so "N?rv?g" and "N&#248;rv&#229;g" meet as "nrvg"; plain ASCII text is its own skeleton.
_MARKED = re.compile(r"\?(?=[A-Za-z])|&#?[A-Za-z0-9]{2,8};|[^\x00-\x7f]")
_UNPRINTABLE = re.compile(r"\?|(?![A-Za-z])[^\W\d_]")


def _skeleton_text(value: str) -> str:
    text = html.unescape(value) if "&" in value else value
    return _UNPRINTABLE.sub("", unicodedata.normalize("NFC", text))


def skeletons(raw: pd.Series, key: pd.Series, table, column: str) -> pd.Series:
    """``column`` of ``table`` run on the skeleton of each value that has an unprintable
    letter, a "?" for one or an entity; ``key`` (the ordinary key) for the others."""
    text = raw.fillna("").astype(str)
    # (a value without "?", "&" or a non-ASCII letter cannot be marked: those need no search)
    marked = np.array(
        [
            ("?" in v or "&" in v or not v.isascii()) and _MARKED.search(v) is not None
            for v in text.tolist()
        ],
        dtype=bool,
    )
    out = key.copy()
    if marked.any():
        out[marked] = _per_unique(text[marked].map(_skeleton_text), table)[column].to_numpy()
    return out


def database_exports(records: pd.DataFrame) -> np.ndarray:
    """Per record, the one database's export it comes from ("" where the database is not
    known): one search's export holds each work once, but the same database searched
    again (an update round) is another export, and one file may hold several databases."""
    db = records["source_db"].fillna("").astype(str)
    return (
        (records["source_file"].fillna("").astype(str) + "\x1f" + db).where(db != "", "").to_numpy()
    )


def recurring_titles(keys: pd.DataFrame, export: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per record: does the set show its title naming several works (across, within)?

    A title is weak evidence when the set itself shows it recurring. Across: its
    records carry different volumes, or years more than one apart (a
    conference paper and its journal version, a yearly column); a volume, or the
    year and venue, then tells its works apart. Within: one database's export lists it
    twice in one year (one search's export holds each work once; the same database
    searched again in an update round is another export), or the title is generic (an issue's
    "Editor's notes"); only an issue, pages or an identifier tell those apart.
    """
    # Grouped on a looser key, so that "Industry perspective(s)" recur together.
    loose = np.array(
        _split(_sub(r"s\b", "", "\n".join(keys["title_key"])), len(keys)), dtype=object
    )
    # Counted on integer codes of titles, volumes and exports: grouping by the text costs more.
    titled = loose != ""
    title = pd.factorize(loose)[0].astype(np.int64)
    n, base = (int(title.max()) + 1 if len(title) else 0), len(title) + 1  # codes < base
    volume, year = keys["volume"].to_numpy(), keys["year"].to_numpy()
    located = titled & (volume != "")
    title_volume = np.unique(title[located] * base + pd.factorize(volume[located])[0])
    dated = titled & (year > 0)
    latest, earliest = np.full(n, -1), np.full(n, np.iinfo(np.int64).max)
    np.maximum.at(latest, title[dated], year[dated])
    np.minimum.at(earliest, title[dated], year[dated])
    across = (np.bincount(title_volume // base, minlength=n) > 1) | (
        (latest >= 0) & (latest - earliest > 1)
    )
    listed = titled & (export != "")
    export_year = pd.factorize(
        pd.Series(export[listed], dtype=object) + "\x1f" + year[listed].astype(str)
    )[0]
    entries, times = np.unique(title[listed] * base + export_year, return_counts=True)
    within = np.zeros(n, dtype=bool)
    within[entries[times > 1] // base] = True
    return titled & across[title], keys["generic"].to_numpy() | (titled & within[title])


def normalise(records: pd.DataFrame, settings: DedupSettings) -> pd.DataFrame:
    """One row of match keys per record, same index as ``records``."""
    journal = records["journal"].where(
        records["journal"].fillna("") != "", records["journal_abbrev"]
    )
    venue = journals(journal)
    out = titles(records["title"], venue.pop("journal_text"))
    joined_authors = records["authors"].map(
        lambda names: ";".join(map(str, names)) if isinstance(names, (list, tuple)) else ""
    )
    out = out.join(_per_unique(joined_authors, _author_table))
    out = out.join(venue)
    out["year"] = (
        pd.to_numeric(records["year"], errors="coerce").fillna(-1).astype(np.int64).to_numpy()
    )
    out["volume"] = first_number(records["volume"])
    out["issue"] = first_number(records["issue"])
    out["supplement"] = supplement_numbers(records["issue"], records["volume"])
    out = out.join(page_numbers(records["pages"], records["page_start"], records["page_end"]))
    out = out.join(identifiers(records["doi"], records["pmid"], settings.cochrane_versions))
    ptype = records["publication_type"].fillna("").astype(str)
    kind_from_type = ptype.map(_KIND_TYPES).fillna("")
    out["kind"] = out["kind"].where(out["kind"] != "", kind_from_type)
    out["abstract_only"] = ptype.eq("conference abstract")
    out["full_paper"] = ptype.isin(
        ["journal article", "review", "clinical trial", "conference paper", "case report"]
    )
    out["preprint"] = (
        ptype.eq("preprint").to_numpy()
        | out.pop("preprint_venue").to_numpy()
        | out.pop("preprint_doi").to_numpy()
    )
    out["abstract_key"] = _per_unique(records["abstract"], _abstract_table)["abstract_key"]
    out["title_skeleton"] = skeletons(records["title"], out["title_key"], _title_table, "title_key")
    out["authors_skeleton"] = skeletons(
        joined_authors, out["authors_key"], _author_table, "authors_key"
    )
    # A title in brackets is MEDLINE's translation of the original; another language
    # makes a translated title likely in some other database.
    language = records["language"].fillna("").astype(str).str.strip().str.lower()
    out["translated"] = (
        records["title"].fillna("").astype(str).str.lstrip().str.startswith("[")
        | ~language.isin(["", "english", "eng", "en"])
    ).to_numpy()
    out["title_recurs_across"], out["title_recurs_within"] = recurring_titles(
        out, database_exports(records)
    )
    return out.join(trial_keys(records))
