"""The update round: the same five databases searched again on 30 June 2025.

Re-exported records of the original round's 2024 works (from the databases that
re-index a record when its issue appears, written exactly as the original round
wrote them), and new SYNTHETIC works numbered from 1001 (see raw_exports/README.md).
"""

from __future__ import annotations

import random

from . import forms
from .assemble import (
    DATABASES,
    EXPORTS,
    FT_COLUMNS,
    REASONS,
    TA_COLUMNS,
    csv_text,
    export_order,
    exports,
)
from .vocabulary import MONTHS, REVIEWER, SYNTHETIC_NOTE
from .works import (
    distinct_title,
    original_works,
    synthetic_work,
    team,
    title_words,
    too_close,
    with_ids,
)

SEED = 20250630  # the update's search date
SEARCH_DATE = "2025-06-30"
FIRST_NUMBER = 1001  # new works' numbers, beyond the original's 418
UPDATE_EXPORTS = {
    db: path.replace("raw_exports/", "raw_exports/update/") for db, path in EXPORTS.items()
}
TRUTH = "tests/data/update_truth.csv"
TA_DECISIONS = "config/screening/update_title_abstract.csv"
FT_DECISIONS = "config/screening/update_full_text.csv"
REINDEXING = ("Embase", "WoS", "Scopus")  # databases that re-export a record when its issue appears

# New works by databases: (databases, number, kind), as in the original round's PATTERNS.
PATTERNS = [
    (("MEDLINE", "Embase", "CENTRAL", "WoS", "Scopus"), 6, "trial"),
    (("MEDLINE", "Embase", "WoS", "Scopus"), 16, "journal"),
    (("MEDLINE", "Embase", "Scopus"), 5, "journal"),
    (("Embase", "WoS", "Scopus"), 5, "abstract"),
    (("Embase", "Scopus"), 5, "abstract"),
    (("Embase", "CENTRAL"), 2, "trial abstract"),
    (("WoS", "Scopus"), 2, "journal"),
]

# The six new works a reviewer reads in full: title, databases, publication type, year,
# month, and the facts recorded (participants, adults_only, outcome_reported, design).
FULL_TEXT = [
    (
        "Intravenous immunoglobulin for refractory skin thickening in "
        "diffuse cutaneous systemic sclerosis: "
        "a multicentre retrospective cohort",
        ("MEDLINE", "Embase", "WoS", "Scopus"),
        "article",
        2024,
        "Sep",
        ("22", "yes", "yes", "Retrospective study"),
    ),
    (
        "Muscle strength and creatine kinase after immunoglobulin "
        "therapy in systemic sclerosis with myopathy: "
        "a prospective observational study",
        ("MEDLINE", "Embase", "WoS", "Scopus"),
        "article",
        2025,
        "Feb",
        ("14", "yes", "yes", "Prospective cohort"),
    ),
    (
        "Lower gastrointestinal symptoms during monthly intravenous "
        "immunoglobulin infusions in scleroderma: "
        "an open-label single-arm trial",
        ("MEDLINE", "Embase", "CENTRAL", "WoS", "Scopus"),
        "article",
        2025,
        "Apr",
        ("9", "yes", "yes", "Open label study"),
    ),
    (
        "Immunoglobulins for systemic sclerosis: a narrative review "
        "of evidence published since 2020",
        ("MEDLINE", "Embase", "Scopus"),
        "review",
        2024,
        "Nov",
        ("", "", "", "Review"),
    ),
    (
        "Recurrent digital ulcers treated with intravenous "
        "immunoglobulin in limited cutaneous systemic sclerosis: "
        "a case report",
        ("MEDLINE", "Embase", "WoS", "Scopus"),
        "case report",
        2024,
        "Jul",
        ("1", "yes", "yes", "Case report"),
    ),
    (
        "Tolerability of home-based immunoglobulin infusions in "
        "scleroderma: preliminary data from a national "
        "registry",
        ("Embase", "WoS", "Scopus"),
        "conference abstract",
        2025,
        "Jun",
        ("", "", "", "Conference abstract"),
    ),
]
FT_ABSTRACT = (
    "Patients with systemic sclerosis treated with immunoglobulin are described; see the full text "
    "for the outcomes."
)


def _month(rng: random.Random, year: int) -> str:
    """A month inside the update's window (16 April 2024 to 30 June 2025)."""
    return rng.choice(MONTHS[4:] if year == 2024 else MONTHS[:6])


def _category(rng: random.Random, kind: str) -> str:
    if "abstract" in kind:
        return "abstract"
    if kind == "trial":
        return rng.choice(["other_disease", "ssc_other_drug"])
    return rng.choice(
        ["other_disease", "other_disease", "ssc_other_drug", "preclinical", "case", "review"]
    )


def new_works(rng: random.Random, earlier: list[dict]) -> list[dict]:
    """The update's new works: synthetic, with titles distinct from every earlier work's."""
    seen = [(w["title"], title_words(w["title"])) for w in earlier]
    works: list[dict] = []

    def add(work: dict) -> None:
        number = FIRST_NUMBER + len(works)
        seen.append((work["title"], title_words(work["title"])))
        works.append(with_ids({**work, "work_id": f"upd{number:04d}"}, number))

    for title, dbs, pubtype, year, month, facts in FULL_TEXT:
        if too_close(title, seen):
            raise RuntimeError(f"full-text work too close to an earlier title: {title}")
        work = synthetic_work(
            rng, FIRST_NUMBER + len(works), dbs, "ssc_other_drug", title, team(rng), year
        )
        work.update(
            role="ft",
            category="ft",
            pubtype=pubtype,
            month=month,
            epub_year=None,
            facts=facts,
            abstract=f"{FT_ABSTRACT} [{SYNTHETIC_NOTE}.]",
        )
        if pubtype == "conference abstract":
            work.update(issue="S1", pages=work["pages"].split("-")[0])
        add(work)
    for dbs, count, kind in PATTERNS:
        for _ in range(count):
            category = _category(rng, kind)
            title = distinct_title(rng, category, kind, seen)
            year = rng.choice([2024, 2025])
            work = synthetic_work(
                rng, FIRST_NUMBER + len(works), dbs, category, title, team(rng), year
            )
            work.update(month=_month(rng, year), epub_year=None)
            add(work)
    return works


def reexported(earlier: list[dict]) -> list[dict]:
    """The earlier works a later search returns again: those published in 2024, from the
    databases that re-index them (never a database that did not have them)."""
    out = []
    for work in earlier:
        dbs = tuple(db for db in work["databases"] if db in REINDEXING)
        if work["year"] == 2024 and dbs:
            out.append({**work, "databases_now": dbs})
    return out


def update_files(seed: int = SEED) -> dict[str, str]:
    """Every file of the update round, by path under the repository."""
    earlier = original_works()
    again = reexported(earlier)
    new = new_works(random.Random(seed), earlier)
    members = {
        db: export_order(
            [w for w in again if db in w["databases_now"]]
            + [w for w in new if db in w["databases"]],
            db,
            seed,
        )
        for db in DATABASES
    }
    new_ids = {w["work_id"] for w in new}
    files = exports(members, UPDATE_EXPORTS, SEARCH_DATE)
    files[TRUTH] = csv_text(
        [("record_id", "work_id", "round_of_work")]
        + [
            (
                f"{UPDATE_EXPORTS[db]}:{i}",
                w["work_id"],
                "update" if w["work_id"] in new_ids else "original",
            )
            for db in DATABASES
            for i, w in enumerate(members[db], start=1)
        ]
    )
    # Decisions name each new work by an identifier its records carry (as the original's do).
    files[TA_DECISIONS] = csv_text(
        [TA_COLUMNS]
        + [
            [
                forms.decision_id(w),
                "include" if w["role"] == "ft" else "exclude",
                "" if w["role"] == "ft" else REASONS[w["category"]],
                REVIEWER,
            ]
            for w in new
        ]
    )
    files[FT_DECISIONS] = csv_text(
        [FT_COLUMNS]
        + [
            [forms.decision_id(w), "yes", "English", *w["facts"], "", "", "", REVIEWER]
            for w in new
            if w["role"] == "ft"
        ]
    )
    return files
