"""How each database writes one work: the per-copy decisions and the text forms.

A copy's decisions (is the DOI kept, is the abstract there, is the title
upper-cased ...) come from a ``random.Random`` seeded with the database, the
work and the decision's name, so they are pure functions of the work: the
same whichever writer runs first, and the same when a later round exports the
work again. raw_exports/README.md ("How the copies differ") names the real
sample each form is taken from.
"""

from __future__ import annotations

import random
import re
import textwrap
import unicodedata

from .works import SEED

DOI_DROP = {"MEDLINE": 0.03, "Embase": 0.05, "CENTRAL": 0.3, "WoS": 0.08, "Scopus": 0.02}
ABSTRACT_DROP = {
    "Embase": 0.15,
    "CENTRAL": 0.15,
}  # only where a note field still marks a synthetic record
GREEK_NAMES = {
    "\u03b1": "alpha",
    "\u03b2": "beta",
    "\u03b3": "gamma",
    "\u03b4": "delta",
    "\u03ba": "kappa",
}
PARTICLES = ("de", "del", "della", "di", "da", "dos", "du", "le", "la", "van", "von")
CENTRAL_AUTHORS = 10  # CENTRAL lists ten authors, then "et al."


def chance(work: dict, db: str, decision: str) -> float:
    """A number in [0, 1) fixed by the work, the database and the decision."""
    return random.Random(f"{SEED}:{db}:{work['work_id']}:{decision}").random()


def copy_rng(work: dict, db: str) -> random.Random:
    """Free-running numbers of one copy (citation counts and the like)."""
    return random.Random(f"{SEED}:{db}:{work['work_id']}")


def doi(work: dict, db: str) -> str:
    """The DOI as this database's copy carries it ("" when dropped); a real work's
    Embase, Scopus and MEDLINE copies always keep it, so every real DOI stays findable."""
    if not work["doi"]:
        return ""
    if work["kind"] == "real" and db in ("Embase", "Scopus", "MEDLINE"):
        return work["doi"]
    return work["doi"] if chance(work, db, "doi") >= DOI_DROP[db] else ""


def abstract(work: dict, db: str) -> str:
    return "" if chance(work, db, "abstract") < ABSTRACT_DROP.get(db, 0.0) else work["abstract"]


def decision_id(work: dict) -> str:
    """A decision names a work by an identifier its records carry: PMID, DOI, Embase ID or Scopus
    EID."""
    if work["pmid"] and "MEDLINE" in work["databases"]:
        return work["pmid"]
    if any(doi(work, db) for db in work["databases"]):
        return work["doi"]
    return work["embase_id"] if "Embase" in work["databases"] else work["eid"]


def record_year(work: dict, db: str) -> int:
    """Online-first works: Embase indexes the e-pub year, the others the issue year."""
    return work["epub_year"] if work["epub_year"] and db == "Embase" else work["year"]


# ---------------------------------------------------------------- titles
def spelled_greek(text: str) -> str:
    """MEDLINE and Web of Science spell Greek letters out ("TNF-alpha")."""
    return "".join(GREEK_NAMES.get(c, c) for c in text)


def replacement_chars(text: str) -> str:
    """The Cochrane Library's export loses non-ASCII letters to U+FFFD in some records."""
    return "".join("\ufffd" if ord(c) > 0x7F and c not in "\u2010\u2014" else c for c in text)


_UNDECOMPOSED = {"\u00f8": "o", "\u00d8": "O", "\u0131": "i", "\u0142": "l", "\u00df": "ss"}


def ascii_fold(text: str) -> str:
    """Web of Science drops diacritics (Sim\u00e9on-Aznar -> Simeon-Aznar, S\u00f8rensen ->
    Sorensen)."""
    text = "".join(_UNDECOMPOSED.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def plain(title: str) -> str:
    """Markup out ("<sup>18</sup>F" -> "18F"), as Embase, Web of Science and CENTRAL print it."""
    return re.sub(r"</?(?:sup|inf)>", "", title)


def medline_title(title: str) -> str:
    """PubMed: super- and subscripts in parentheses ("(18)F", "IgG(4)"), "> or =" for the
    sign, Greek letters spelled out, a full stop at the end."""
    title = re.sub(r"<(?:sup|inf)>([^<]*)</(?:sup|inf)>", r"(\1)", title)
    title = spelled_greek(title.replace("\u2265", "> or ="))
    return title if title.endswith((".", "?")) else f"{title}."


def embase_title(title: str) -> str:
    """Embase capitalises the word after a colon."""
    return re.sub(r": ([a-z])", lambda m: ": " + m.group(1).upper(), plain(title))


def scopus_title(title: str) -> str:
    """Scopus keeps the markup and marks subscripts up: "IgG<inf>4</inf>"."""
    return re.sub(r"\bIgG(\d)", r"IgG<inf>\1</inf>", title)


def wos_title(work: dict) -> str:
    """Web of Science is ASCII ("alpha", ">="; em dashes become hyphens); older records are in upper
    case."""
    title = (
        ascii_fold(spelled_greek(plain(work["title"])))
        .replace("\u2014", "-")
        .replace("\u2265", ">=")
    )
    return title.upper() if work["year"] < 2008 else title


def central_title(work: dict) -> str:
    """Wiley writes U+2010 for every hyphen, and loses non-ASCII letters in some records."""
    title = plain(work["title"]).replace("-", "\u2010")
    return replacement_chars(title) if chance(work, "CENTRAL", "mangled") < 0.5 else title


# ---------------------------------------------------------------- authors
EAST_ASIAN = frozenset("Tanaka Nakashima Takeda Ueda Ishikawa Yamamoto Xu Tsai".split())
TYPO = 0.1  # share of a synthetic work's copies with one surname misspelt


def authors(work: dict, db: str) -> list[tuple[str, str]]:
    """The work's (surname, given) pairs as this database's copy names them. Real works
    keep their real names; a synthetic work's copy may misspell one surname (a letter
    lost), and Embase gives East Asian names in the other order in some records."""
    names = list(work["authors"])
    if work["kind"] != "synthetic":
        return names
    if db == "Embase" and chance(work, db, "name order") < 0.5:
        names = [
            (given.split(" ")[0], " ".join([surname] + given.split(" ")[1:]))
            if surname in EAST_ASIAN
            else (surname, given)
            for surname, given in names
        ]
    typo = chance(work, db, "typo")
    if typo < TYPO:
        k = int(typo / TYPO * len(names))
        surname, given = names[k]
        if len(surname) >= 5:
            cut = 2 + int(typo * 1000) % (len(surname) - 3)
            names[k] = (surname[:cut] + surname[cut + 1 :], given)
    return names


def initials(given: str) -> str:
    if given.isupper():
        return given.replace(" ", "")
    return "".join(part[0] for part in re.split(r"[\s\-]+", given) if part)


def full_given(given: str) -> str:
    """Given name as a full-name field shows it; bare initials get dots (ML -> M.L.)."""
    return ".".join(given) + "." if given.isupper() and " " not in given else given


def _double(surname: str) -> bool:
    """Two surnames ("Castellanos Ortega", "Matucci Cerinic"), not a particle and a name ("De
    Luca")."""
    parts = surname.split(" ")
    return len(parts) == 2 and parts[0].lower() not in PARTICLES


def wos_surname(surname: str) -> str:
    """Web of Science joins double surnames with a hyphen ("Matucci-Cerinic, M")."""
    return ascii_fold(surname.replace(" ", "-") if _double(surname) else surname)


def embase_author(work: dict, surname: str, given: str) -> tuple[str, str]:
    """Embase reads the first of two surnames as a given name in some records
    ("Castellanos Ortega, Lucia" -> "Ortega, L.C."); the split is one per synthetic work
    (a real work's copies keep its real names)."""
    if (
        work["kind"] == "synthetic"
        and _double(surname)
        and chance(work, "Embase", "split surnames") < 0.5
    ):
        first, second = surname.split(" ")
        return second, f"{given} {first}"
    return surname, given


def central_authors(work: dict) -> list[str]:
    names = [f"{surname}, {initials(given)}" for surname, given in authors(work, "CENTRAL")]
    if chance(work, "CENTRAL", "mangled") < 0.5:
        names = [replacement_chars(name) for name in names]
    return names[:CENTRAL_AUTHORS] + ["et al."] if len(names) > CENTRAL_AUTHORS else names


# ---------------------------------------------------------------- pages
def short_pages(pages: str) -> str:
    """MEDLINE page form: 977-979 -> 977-9."""
    match = re.fullmatch(r"([A-Z]?)(\d+)-([A-Z]?)(\d+)", pages)
    if not match:
        return pages
    prefix, start, _, end = match.groups()
    if len(start) == len(end):
        keep = 0
        while keep < len(start) and start[keep] == end[keep]:
            keep += 1
        end = end[keep:] or end[-1:]
    return f"{prefix}{start}-{end}"


def split_pages(pages: str) -> tuple[str, str]:
    start, _, end = pages.partition("-")
    return start, end


def is_article_number(pages: str) -> bool:
    """Elsevier-style article numbers (102981) rather than a page."""
    return "-" not in pages and len(pages) >= 5


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def embase_issue(issue: str) -> str:
    """Embase writes supplements "SUPPL. 3" (the review's own reference list, from Embase: "71
    (SUPPL. 3)")."""
    return re.sub(r"^(?:S|Suppl )(\d+)$", r"SUPPL. \1", issue)
