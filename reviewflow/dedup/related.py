"""Records that concern another work without being it: errata, corrections,
retraction notices, comments and replies; and the other pairs the review policy
keeps apart (a meeting abstract and its full paper, one study's abstracts at two
meetings, registrations of different trials,
a trial's registration and the article reporting it).

One rule, ``relations``, reads the two records' own metadata; the engine lists
the related records it finds (``related.csv``) and the accuracy benchmark uses
the same rule to tell policy from error in labelled sets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewflow.contracts import RELATED
from reviewflow.dedup.compare import has_veto, swapped_word
from reviewflow.dedup.registrations import shared_ids

# Relation classes, in the order they are tested.
RELATIONS = (
    "retraction",
    "erratum",
    "comment",
    "meeting_abstract",
    "meeting_abstracts",
    "registration",
    "report of registered trial",
)
# The ones a reviewer must see next to the work they concern.
NOTICES = ("retraction", "erratum", "comment")
# An article naming a registration's trial ID: a report of that study (dedup.registrations).
TRIAL_REPORT = "report of registered trial"
RELATED_COLUMNS = RELATED.names


def _meeting_abstract(col: dict) -> np.ndarray:
    # Typed so, or published under a meeting's name; a supplement alone may hold full papers.
    return col["abstract_only"] | (col["venue"] == "conference")


def _full_paper(col: dict) -> np.ndarray:
    return ~_meeting_abstract(col) & (
        np.nan_to_num(col["page_end_n"] - col["page_start_n"], nan=0) >= 2
    )


def _one_page(col: dict, at: np.ndarray) -> np.ndarray:
    start, end = col["page_start_n"][at], col["page_end_n"][at]
    # An article number ("e12724", "a1754") is no page.
    return (np.isnan(end) | (end == start)) & ~np.isnan(start) & ~col["elocator"][at]


def _same_volume(col: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (col["volume"][a] == col["volume"][b]) & (col["volume"][a] != "")


def _issue(col: dict, at: np.ndarray) -> np.ndarray:
    return pd.to_numeric(pd.Series(col["issue"][at]), errors="coerce").to_numpy(dtype=float)


def _one_page_after(col: dict, single: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``single`` is one page, in the same volume as ``other``'s pages and after them:
    after a page range, or after a one-page item (a letter has its corrections too) in a
    later issue (one-page items on following pages of one issue are a congress's abstracts)."""
    start, end = col["page_start_n"][other], col["page_end_n"][other]
    later_issue = _issue(col, single) > _issue(col, other)  # False where either is unknown
    return (
        _same_volume(col, single, other)
        & _one_page(col, single)
        & ~col["elocator"][other]
        & (col["page_start_n"][single] > np.fmax(end, start))
        & ((end > start) | later_issue)
    )


def _one_page_before(col: dict, single: np.ndarray, ranged: np.ndarray) -> np.ndarray:
    """``single`` is one page, in the same volume as ``ranged``'s page range and before it."""
    start, end = col["page_start_n"][ranged], col["page_end_n"][ranged]
    return (
        _same_volume(col, single, ranged)
        & _one_page(col, single)
        & (end > start)
        & (col["page_start_n"][single] < start)
    )


def _bare(col: dict) -> np.ndarray:
    """A record with nothing but a title and names: a trial registration's shape."""
    return (
        (col["journal_key"] == "")
        & (col["volume"] == "")
        & (col["page_start"] == "")
        & (col["doi_key"] == "")
    )


def _different_registrations(col: dict, a: np.ndarray, b: np.ndarray, s: dict) -> np.ndarray:
    """Two bare records (a registration's shape) whose titles differ by an unrelated word:
    "adult"/"adolescent", "sensitive"/"resistant". The dedup veto tests only titles close
    enough to be merged; two registrations may differ in more words than that. A register
    ID in common makes them one trial, however differently titled (public and scientific)."""
    shape = _bare(col)
    bare = shape[a] & shape[b] & (np.nan_to_num(s["title"]) < 100) & ~s["trial_shared"]
    found = has_veto(s["veto_bits"], "swapped_word") & bare
    rest = np.flatnonzero(bare & ~found)
    found[rest] = swapped_word(col["title_key"][a[rest]], col["title_key"][b[rest]])
    return found


def relations(col: dict, a: np.ndarray, b: np.ndarray, s: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: the relation its records' metadata shows ("" = none), from RELATIONS,
    and whether record a is the notice (erratum, retraction, comment) of the two.

    ``s``: the pairs' scores (compare.score_pairs); its swapped-word veto is what
    tells two registrations apart."""
    kind_a, kind_b = col["kind"][a], col["kind"][b]
    # A correction often repeats its article's title and authors on one page of a later
    # issue of the same journal: that shape is an erratum whatever its title says.
    a_later = _one_page_after(col, a, b)
    # The same title and journal, nothing shared that makes them one publication.
    alike = (
        (np.nan_to_num(s["title"]) >= 95)
        & (np.nan_to_num(s["journal"]) >= 85)
        & ~(s["doi_same"] | s["pmid_same"])
        & (kind_a == "")
        & (kind_b == "")
    )
    # (Not a congress's abstracts, which follow one another one page each.)
    abstract = _meeting_abstract(col)
    correction_shaped = (a_later | _one_page_after(col, b, a)) & alike & ~abstract[a] & ~abstract[b]
    # Journals print a congress's abstracts in their regular issues: a one-page item with
    # the title of a paper later in the same volume is that paper's meeting abstract.
    abstract_shaped = (_one_page_before(col, a, b) | _one_page_before(col, b, a)) & alike
    out = np.full(len(a), "", dtype=object)
    paper = _full_paper(col)
    found = {
        "retraction": (kind_a == "retraction") ^ (kind_b == "retraction"),
        "erratum": ((kind_a == "erratum") ^ (kind_b == "erratum")) | correction_shaped,
        "comment": (kind_a == "comment") ^ (kind_b == "comment"),
        # A supplement can hold full papers: one volume's pages, or a DOI, make it one publication.
        "meeting_abstract": (
            ((abstract[a] & paper[b]) | (abstract[b] & paper[a]))
            & ~(s["doi_same"] | s["pages_same"] | s["pmid_same"])
        )
        | abstract_shaped,
        # The abstracts of one study at two meetings: numbered supplements of two journals'
        # different volumes are two publications, as an abstract and its paper are.
        "meeting_abstracts": (col["supplement"][a] != "")
        & (col["supplement"][b] != "")
        & (col["volume"][a] != col["volume"][b])
        & (col["volume"][a] != "")
        & (col["volume"][b] != "")
        & (np.nan_to_num(s["journal"]) < 85)
        & (np.nan_to_num(s["title"]) >= 95)
        & ~(s["doi_same"] | s["pmid_same"]),
        "registration": _different_registrations(col, a, b, s) | s["trial_conflict"],
        TRIAL_REPORT: s["registration_mixed"] & s["trial_shared"],
    }
    for name in reversed(RELATIONS):
        out[found[name]] = name
    notice_is_a = np.where(kind_a != kind_b, kind_a != "", a_later)
    return out, notice_is_a


def related_table(
    records: pd.DataFrame,
    col: dict,
    a: np.ndarray,
    b: np.ndarray,
    s: dict,
    relation: tuple,
    labels: np.ndarray,
    work_key: np.ndarray,
) -> pd.DataFrame:
    """Notices (erratum, retraction, comment, reply) linked to the work they concern, and
    the reports of a registered trial linked to its registration's work.

    Among the candidate pairs in different works: one record is the notice, the
    other is not, and the notice repeats the work's title (and, where both have
    them, its authors); or one record is a trial registration and the other names
    its trial ID (the evidence)."""
    kind = col["kind"]
    title, authors = np.nan_to_num(s["title"]), np.nan_to_num(s["authors"], nan=100.0)
    relation, notice_is_a = relation
    # The work side is no notice itself (an erratum and a retraction of one article are both
    # notices).
    work_kind = np.where(notice_is_a, kind[b], kind[a])
    keep = (
        np.isin(relation, NOTICES)
        & (work_kind == "")
        & (labels[a] != labels[b])
        & (title >= 80)
        & (authors >= 60)
    )
    idx = np.flatnonzero(keep)
    reports = np.flatnonzero((relation == TRIAL_REPORT) & (labels[a] != labels[b]))
    if not len(idx) and not len(reports):
        return pd.DataFrame(columns=RELATED_COLUMNS)
    notice, work = (
        np.where(notice_is_a[idx], a[idx], b[idx]),
        np.where(notice_is_a[idx], b[idx], a[idx]),
    )
    journal = np.nan_to_num(s["journal"][idx]) >= 85
    evidence = [
        f"title {t:.0f}"
        + (f", authors {u:.0f}" if not np.isnan(u) else "")
        + (", same journal" if j else "")
        for t, u, j in zip(s["title"][idx].tolist(), s["authors"][idx].tolist(), journal.tolist())
    ]
    # A report's work is the registration's; the evidence, the trial IDs both carry.
    registration_is_a = col["registration"][a[reports]]
    registration = np.where(registration_is_a, a[reports], b[reports])
    report = np.where(registration_is_a, b[reports], a[reports])
    ids = records["record_id"].to_numpy()
    table = pd.DataFrame(
        {
            "work_key": work_key[np.concatenate([work, registration])],
            "work_record": ids[np.concatenate([work, registration])],
            "related_record": ids[np.concatenate([notice, report])],
            "relation": np.concatenate([relation[idx], relation[reports]]),
            "evidence": evidence + shared_ids(col, registration, report),
        }
    )
    # A notice that repeats the title of several records of one work is listed once per work
    # (a report naming a trial whose registrations are one work, likewise).
    table = table.sort_values(["work_key", "related_record", "work_record"]).drop_duplicates(
        ["work_key", "related_record"]
    )
    return table.reset_index(drop=True)[RELATED_COLUMNS]
