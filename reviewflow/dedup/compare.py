"""Score candidate pairs field by field and decide which are the same work.

All work is on arrays of candidate pairs: rapidfuzz's ``process.cpdist`` scores
the text fields pair by pair in C, numpy does the rest. A pair merges when no
veto applies and one of ``RULES`` holds; the first rule that holds is recorded
with the pair, so a reviewer sees why two records were merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from reviewflow.dedup import registrations

# Decision rules, strongest first (the order is the clustering priority too).
RULES = [
    "override",
    "doi",
    "pmid",
    "trial_id",
    "cochrane",
    "title_authors",
    "title_citation",
    "citation",
    "title_venue",
    "abstract",
]


def _text_scores(col: dict, field: str, a: np.ndarray, b: np.ndarray, scorer) -> np.ndarray:
    """0-100 per pair; NaN where either side is empty (nothing to compare)."""
    values = col[field]
    # Threads only pay off on large batches; starting them costs milliseconds.
    workers = -1 if len(a) > 20_000 else 1
    scores = process.cpdist(values[a], values[b], scorer=scorer, dtype=np.float32, workers=workers)
    empty = col[f"{field}_empty"]
    scores[empty[a] | empty[b]] = np.nan
    return scores


def _both(
    values: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    left, right = values[a], values[b]
    return left, right, (left != "") & (right != "")


def columns(keys) -> dict[str, np.ndarray]:
    """The match keys as arrays, plus which text keys are empty, for pair-wise indexing."""
    col = {name: keys[name].to_numpy() for name in keys.columns}
    for field in ("title_key", "authors_key", "journal_key", "abstract_key"):
        col[f"{field}_empty"] = keys[field].to_numpy() == ""
    col["journal_init_long"] = keys["journal_init"].str.len().to_numpy() >= 2
    for name in ("page_start", "page_end"):
        col[f"{name}_n"] = pd.to_numeric(keys[name], errors="coerce").to_numpy(dtype=float)
    for name in ("title", "authors"):
        col[f"{name}_marked"] = col[f"{name}_skeleton"] != col[f"{name}_key"]
    col.update(registrations.columns(keys))
    return col


def field_flags(col: dict, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Exact comparisons (years, volumes, pages, identifiers) for the pairs (a[k], b[k])."""
    s: dict[str, np.ndarray] = {}
    year_a, year_b = col["year"][a], col["year"][b]
    s["year_known"] = (year_a > 0) & (year_b > 0)
    s["year_gap"] = np.where(s["year_known"], np.abs(year_a - year_b), 0)
    for field, name in [
        ("volume", "volume"),
        ("issue", "issue"),
        ("page_start", "pages"),
        ("doi_key", "doi"),
        ("pmid", "pmid"),
    ]:
        left, right, both = _both(col[field], a, b)
        s[f"{name}_both"] = both
        s[f"{name}_same"] = both & (left == right)
    s["page_end_same"] = (
        s["pages_same"] & (col["page_end"][a] == col["page_end"][b]) & (col["page_end"][a] != "")
    )
    s["first_author_same"] = (col["first_author"][a] == col["first_author"][b]) & (
        col["first_author"][a] != ""
    )
    s["generic"] = col["generic"][a] | col["generic"][b]
    s["no_title"] = (col["title_key"][a] == "") | (col["title_key"][b] == "")
    s["cochrane_same"] = (col["cochrane"][a] == col["cochrane"][b]) & (col["cochrane"][a] != "")
    s["translated"] = col["translated"][a] | col["translated"][b]
    s["both_conference"] = (col["venue"][a] == "conference") & (col["venue"][b] == "conference")
    unlocated = (col["volume"] == "") & (col["page_start"] == "")
    s["unlocated"] = unlocated[a] | unlocated[b]
    s.update(registrations.flags(col, a, b))
    return s


def score_pairs(
    col: dict, a: np.ndarray, b: np.ndarray, preprint_same: bool
) -> dict[str, np.ndarray]:
    """Field scores, comparison flags and vetoes for the pairs (a[k], b[k])."""
    s = field_flags(col, a, b)
    s["title"] = _text_scores(col, "title_key", a, b, fuzz.ratio)
    # A title cut at "..." is compared with the start of the other title.
    truncated = col["truncated"][a] | col["truncated"][b]
    if truncated.any():
        idx = np.flatnonzero(truncated)
        partial = _text_scores(col, "title_key", a[idx], b[idx], fuzz.partial_ratio)
        s["title"][idx] = np.fmax(s["title"][idx], partial)
    _skeleton_max(col, "title", a, b, s, fuzz.ratio)
    # A subtitle on one side only: the main title is the other's whole title.
    main_a, main_b = col["title_main"][a], col["title_main"][b]
    one_sided = ((main_a != "") & (main_a == col["title_key"][b])) | (
        (main_b != "") & (main_b == col["title_key"][a])
    )
    s["title"] = np.where(one_sided, np.fmax(s["title"], 95.0), s["title"])
    # Only pairs that some rule could still merge need the other text scores: the
    # rest (most candidate pairs) stay NaN, which keeps large runs cheap.
    title_close = np.nan_to_num(s["title"]) >= 80
    promising = np.flatnonzero(
        title_close
        | s["doi_same"]
        | s["pmid_same"]
        | s["cochrane_same"]
        | (s["volume_same"] & s["pages_same"])
        | s["no_title"]
    )
    for name, field, scorer, subset in [
        # token_set: "Rinsho Ketsueki - Japanese Journal of ..." contains "Japanese Journal of ...".
        ("authors", "authors_key", fuzz.token_set_ratio, promising),
        ("journal", "journal_key", fuzz.token_set_ratio, promising),
        ("abstract", "abstract_key", fuzz.ratio, np.flatnonzero(title_close)),
    ]:
        s[name] = np.full(len(a), np.nan, dtype=np.float32)
        s[name][subset] = _text_scores(col, field, a[subset], b[subset], scorer)
    _skeleton_max(col, "authors", a, b, s, fuzz.token_set_ratio)
    # Initialisms match abbreviations to full names; one letter ("Diabetes" vs
    # "Diabetologia") is too little to go on.
    same_initials = (col["journal_init"][a] == col["journal_init"][b]) & col["journal_init_long"][a]
    s["journal"] = np.where(same_initials, 100.0, s["journal"])
    s["veto_bits"] = veto_bits(vetoes(col, a, b, s, preprint_same))
    s["vetoed"] = s["veto_bits"] != 0
    return s


# Named vetoes: evidence that two records are different works, whatever else
# agrees. Each candidate pair records which of them applied (a bit per veto, in
# this order), so a reviewer sees why two similar records were kept apart.
VETOES = [
    "doi",
    "pmid",
    "volume",
    "issue",
    "pages",
    "year_gap",
    "recurring_year",
    "title_numbers",
    "kind",
    "abstract_vs_paper",
    "swapped_word",
    "venue_type",
    "preprint",
    "recurring_title",
    "venue_and_year",
    "registration",
    "trial_id",
]


def _skeleton_max(col: dict, name: str, a: np.ndarray, b: np.ndarray, s: dict, scorer) -> None:
    """Raise s[name] to the skeletons' score where either record had letters it could not print."""
    skeleton = col[f"{name}_skeleton"]
    idx = np.flatnonzero((col[f"{name}_marked"][a] | col[f"{name}_marked"][b]) & ~np.isnan(s[name]))
    if len(idx):
        scores = process.cpdist(skeleton[a[idx]], skeleton[b[idx]], scorer=scorer, dtype=np.float32)
        s[name][idx] = np.fmax(s[name][idx], scores)


def vetoes(
    col: dict, a: np.ndarray, b: np.ndarray, s: dict, preprint_same: bool
) -> dict[str, np.ndarray]:
    """Veto name -> which pairs it keeps apart (only names in VETOES, in that order)."""
    conflict = lambda name: s[f"{name}_both"] & ~s[f"{name}_same"]  # noqa: E731
    v: dict[str, np.ndarray] = {}
    preprint_pair = col["preprint"][a] != col["preprint"][b]
    # Under the "same" preprint policy a preprint's own DOI does not rule out its journal version.
    v["doi"] = conflict("doi") & ~(preprint_pair & preprint_same)
    v["pmid"] = conflict("pmid")
    # Parsers break supplement volumes ("58 (Suppl 1)" read as "1"): the same start
    # page under a near-identical title in the same year outweighs the volume, and a
    # volume that is the other record's supplement number is no conflict at all.
    volume = conflict("volume") & ~(
        s["pages_same"] & (np.nan_to_num(s["title"]) >= 95) & (s["year_gap"] == 0) & ~s["generic"]
    )
    v["volume"] = volume & ~(
        (col["volume"][a] == col["supplement"][b]) | (col["volume"][b] == col["supplement"][a])
    )
    # A typo in the start page ("2297-2108" vs "2097-2108") leaves the end page agreeing.
    # A single page that is the other record's last page is the same article cited by its end.
    pages = conflict("pages") & ~(
        s["page_end_same"]
        | _same_end(col, a, b)
        | _single_is_end(col, a, b)
        | _single_is_end(col, b, a)
    )
    pages &= ~(col["elocator"][a] | col["elocator"][b] | _shifted(col, a, b) | _shifted(col, b, a))
    # Online-first records carry provisional pages ("1-17") and no volume yet.
    online_first = ((col["page_start"][a] == "1") & (col["volume"][a] == "")) | (
        (col["page_start"][b] == "1") & (col["volume"][b] == "")
    )
    v["pages"] = pages & ~online_first
    # An issue number tells apart the items of one volume that share title and author
    # (a column, an editor's note); a supplement's issue is no plain issue number.
    # An article number parsed into the issue ("17 (1) (no pagination)", issue "106") is no issue.
    v["issue"] = (
        conflict("issue")
        & ~conflict("volume")
        & (col["supplement"][a] == "")
        & (col["supplement"][b] == "")
    )
    v["issue"] &= (col["issue"][a] != col["page_start"][b]) & (
        col["issue"][b] != col["page_start"][a]
    )
    # Past the length of any issue the pagination runs through the volume: there the same
    # start page is one article whatever issue a database wrote (issue-paginated
    # magazines restart at page 1, where a shared start page proves nothing).
    volume_paginated = np.nan_to_num(col["page_start_n"][a]) > 150
    v["issue"] &= ~(s["pages_same"] & s["volume_same"] & volume_paginated)
    v["year_gap"] = s["year_gap"] > 1
    # A one-year gap is online-first vs issue year only when one side lacks the issue
    # details (or an identifier agrees); a recurring item ("Introduction", yearly
    # minitrack intros) repeats title and authors in consecutive years.
    provisional = (col["volume"][a] == "") ^ (col["volume"][b] == "") | (
        col["page_start"][a] == ""
    ) ^ (col["page_start"][b] == "")
    v["recurring_year"] = (s["year_gap"] == 1) & ~(
        provisional | s["volume_same"] | s["doi_same"] | s["pmid_same"] | s["cochrane_same"]
    )
    numbers_a, numbers_b = col["title_numbers"][a], col["title_numbers"][b]
    # A number inside a name ("p16INK4a" printed "p6INK4a") under the same volume and
    # whole page range is a typo; a part or dose number standing alone never is.
    standalone_same = col["title_numbers_standalone"][a] == col["title_numbers_standalone"][b]
    v["title_numbers"] = (
        (numbers_a != numbers_b)
        & (numbers_a != "")
        & (numbers_b != "")
        & ~(standalone_same & s["volume_same"] & s["page_end_same"])
    )
    # An erratum notice never shares its original's pages; two records of one notice
    # do, even when only one calls itself "Erratum".
    v["kind"] = (col["kind"][a] != col["kind"][b]) & ~(
        s["volume_same"] & s["pages_same"] & (np.nan_to_num(s["authors"]) >= 75)
    )
    # A conference abstract is never its full paper, but databases label one abstract
    # differently (Scopus "Conference Paper", CENTRAL "Conference proceeding"): the
    # same DOI, or the same volume and pages, shows it is one publication.
    same_locator = s["doi_same"] | (s["volume_same"] & s["pages_same"])
    v["abstract_vs_paper"] = (
        (col["abstract_only"][a] & col["full_paper"][b])
        | (col["abstract_only"][b] & col["full_paper"][a])
    ) & ~same_locator
    # With nothing but the title to go on (trial registrations, bare records), one
    # word swapped for an unrelated one ("adult"/"adolescent", "sensitive"/"resistant")
    # is a different work; a journal, volume, page or identifier in common would show
    # it is one work worded two ways.
    located = (
        s["volume_same"] | s["pages_same"] | s["doi_same"] | s["pmid_same"] | s["cochrane_same"]
    )
    located |= np.nan_to_num(s["journal"]) >= 85
    earlier = np.logical_or.reduce(list(v.values()))
    suspect = np.flatnonzero(
        ~located & ~earlier & (np.nan_to_num(s["title"]) >= 80) & (np.nan_to_num(s["title"]) < 100)
    )
    v["swapped_word"] = np.zeros(len(a), dtype=bool)
    v["swapped_word"][suspect] = swapped_word(
        col["title_key"][a[suspect]], col["title_key"][b[suspect]]
    )
    venue_a, venue_b = col["venue"][a], col["venue"][b]
    v["venue_type"] = (venue_a != venue_b) & (venue_a != "") & (venue_b != "")
    v["preprint"] = preprint_pair if not preprint_same else np.zeros(len(a), dtype=bool)
    # A title that recurs in the set (or says nothing) names a work only together
    # with a locator both records share: issue, pages, DOI, PMID.
    locator_same = (
        s["doi_same"] | s["pmid_same"] | s["pages_same"] | s["issue_same"] | s["cochrane_same"]
    )
    venue_same = s["volume_same"] | (
        (s["year_gap"] == 0) & s["year_known"] & (np.nan_to_num(s["journal"]) >= 85)
    )
    within = col["title_recurs_within"][a] | col["title_recurs_within"][b]
    across = col["title_recurs_across"][a] | col["title_recurs_across"][b]
    v["recurring_title"] = (
        (within | (across & ~venue_same)) & ~locator_same & (np.nan_to_num(s["title"]) >= 80)
    )
    # A meeting abstract in one journal and the paper in another a year later share
    # title and authors: different venues in different years are different works
    # unless an identifier joins them.
    journal_differs = np.nan_to_num(s["journal"], nan=100.0) < 60
    v["venue_and_year"] = journal_differs & (s["year_gap"] >= 1) & ~(s["doi_same"] | s["pmid_same"])
    v["venue_and_year"] &= ~(preprint_pair & preprint_same)
    # An exact identifier outweighs the page forms (article number vs the PDF's range,
    # online-first pages vs the issue's), volumes and issues and a late print year:
    # only a different-work signal (kind, numbers, preprint, book vs chapter) overrules it.
    strong = (s["doi_same"] | s["pmid_same"]) & ((np.nan_to_num(s["title"]) >= 80) | s["no_title"])
    for name in ("volume", "issue", "recurring_year", "venue_and_year", "recurring_title"):
        v[name] &= ~strong
    # Pages only where one side numbers the article's own pages from 1 (its PDF, an
    # online-first version): two ranges inside one issue under one DOI are a
    # supplement's or a book's DOI on two items.
    own_pages = (col["page_start"][a] == "1") | (col["page_start"][b] == "1")
    v["pages"] &= ~(strong & own_pages)
    v["year_gap"] &= ~(strong & (s["year_gap"] <= 2))
    # A trial's registration is no report of it: PRISMA counts studies and reports apart.
    v["registration"] = s["registration_mixed"]
    v["trial_id"] = s["trial_conflict"]
    # Registrations sharing a trial ID are one trial however each register words, dates
    # and files it (brief vs scientific title, registration vs CENTRAL year, register as venue).
    for name in VETOES[: VETOES.index("registration")]:
        v[name] &= ~s["trial_same"]
    return v


def veto_bits(v: dict[str, np.ndarray]) -> np.ndarray:
    """One integer per pair: bit k set = VETOES[k] applies."""
    bits = np.zeros(len(next(iter(v.values()))), dtype=np.int64)
    for k, name in enumerate(VETOES):
        bits |= v[name].astype(np.int64) << k
    return bits


def has_veto(bits: np.ndarray, name: str) -> np.ndarray:
    return (bits >> VETOES.index(name)) & 1 == 1


def veto_count(bits: np.ndarray) -> np.ndarray:
    return sum(((bits >> k) & 1) for k in range(len(VETOES)))


def veto_names(bits: np.ndarray) -> np.ndarray:
    """The vetoes a pair's bits name, "+"-joined ("" = none)."""
    names = np.array(VETOES, dtype=object)
    out = np.full(len(bits), "", dtype=object)
    for code in np.unique(bits[bits != 0]).tolist():
        out[bits == code] = "+".join(names[[(code >> k) & 1 == 1 for k in range(len(VETOES))]])
    return out


def swapped_word(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair of titles: does each have a word of 4+ letters with no look-alike in the other?

    Runs only on the few pairs whose sole evidence is a close but unequal title."""

    def lone(words, others):
        return any(
            len(w) >= 4 and not w.isdigit() and not any(fuzz.ratio(w, o) >= 75 for o in others)
            for w in words
        )

    out = np.zeros(len(left), dtype=bool)
    for k, (x, y) in enumerate(zip(left.tolist(), right.tolist())):
        wx, wy = set(x.split()), set(y.split())
        only_x, only_y = wx - wy, wy - wx
        out[k] = lone(only_x, only_y) and lone(only_y, only_x)
    return out


def _same_end(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    end_a, end_b = col["page_end"][a], col["page_end"][b]
    return (
        (end_a == end_b)
        & (end_a != "")
        & (end_a != col["page_start"][a])
        & (end_b != col["page_start"][b])
    )


def _shifted(col: dict, shifted: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Volume, issue, page read one field late: no volume, the issue is the other's
    volume and the "page" the other's issue (a meeting supplement "26 (9)", page 1746)."""
    issue = col["issue"][shifted]
    return (
        (col["volume"][shifted] == "")
        & (issue != "")
        & (issue == col["volume"][other])
        & (col["page_start"][shifted] == col["issue"][other])
    )


def _single_is_end(col: dict, single: np.ndarray, other: np.ndarray) -> np.ndarray:
    return (col["page_end"][single] == "") & (col["page_start"][single] == col["page_end"][other])


def decide(s: dict[str, np.ndarray]) -> np.ndarray:
    """Index into RULES of the first rule that merges each pair; -1 = not merged."""
    title, authors, journal, abstract = (
        np.nan_to_num(s[k], nan=-1.0) for k in ("title", "authors", "journal", "abstract")
    )
    title_usable = ~s["generic"] & ~s["no_title"]
    authors_missing = np.isnan(s["authors"])
    authors_ok = (authors >= 75) | s["first_author_same"]
    journal_ok = (journal >= 85) | np.isnan(s["journal"])
    year_ok = ~s["year_known"] | (s["year_gap"] <= 1)  # gaps were vetoed unless explained
    titles_agree = (title >= 80) | s["no_title"]
    citation = s["volume_same"] & s["pages_same"] & (journal >= 85)
    conditions = {
        "doi": s["doi_same"] & titles_agree & year_ok,
        "pmid": s["pmid_same"] & titles_agree & year_ok,
        "trial_id": s["trial_same"],
        "cochrane": s["cochrane_same"] & ((title >= 60) | s["no_title"]),
        "title_authors": title_usable & (title >= 95) & authors_ok & s["year_known"],
        # A full citation match (volume, first and last page) under the same title does
        # not need the authors: corporate vs personal authors, swapped name order.
        # A generic title ("Editorial") may match here: journal and volume or pages agree too.
        "title_citation": ~s["no_title"]
        & (title >= 85)
        & journal_ok
        & (authors_ok | authors_missing | ((title >= 95) & s["volume_same"] & s["page_end_same"]))
        & (s["volume_same"] | s["pages_same"] | (abstract >= 90)),
        # Same journal, volume and pages by the same first author: the same article
        # even when one title is a translation or badly garbled.
        # Unrelated titles (one volume's pages shared by a column and an article) are
        # another work unless one title is marked as translated. A record with no title
        # is not merged on its citation: databases index notices, comments and replies
        # under the citation of the article they concern, and every check that tells
        # those apart reads the title; only an identifier merges it (or a reviewer,
        # from the possible-duplicates list).
        "citation": citation
        & (s["first_author_same"] | (authors >= 90))
        & ((title >= 70) | (s["page_end_same"] & s["translated"])),
        # Records with no volume or pages to compare (conference proceedings, bare
        # records): the same venue in the same year, all authors and a close title.
        "title_venue": ~s["no_title"]
        & (title >= 85)
        & (authors >= 95)
        & (s["year_gap"] == 0)
        & s["year_known"]
        & ((journal >= 85) | s["both_conference"])
        & s["unlocated"],
        # One study's abstract recurs at several conferences: the venue must agree too.
        "abstract": (abstract >= 95) & (title >= 80) & authors_ok & journal_ok,
    }
    rule = np.full(len(title), -1, dtype=np.int8)
    for index, name in reversed(list(enumerate(RULES))):
        if name in conditions:
            rule[conditions[name]] = index
    rule[s["vetoed"]] = -1
    return rule
