"""The works of the embedded review: 26 real ones and 392 synthetic stand-ins.

Every function is a pure function of its arguments (a seeded ``random.Random``
included): the same seed gives the same works, whatever is built after them.
"""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pandas as pd

from .vocabulary import (
    ASPECTS,
    CASE_EVENTS,
    COMPOUND_SURNAMES,
    DESIGNS,
    DISEASES,
    GIVEN,
    INTERVENTIONS,
    JOURNALS,
    MIDDLE,
    MODELS,
    MONTHS,
    PRECLIN_AGENTS,
    PRECLIN_VERBS,
    SSC_DRUGS,
    SSC_TARGETS,
    SURNAMES,
    SYNTHETIC_NOTE,
)

SEED = 20240415  # the original search date
SOURCES = Path(__file__).resolve().parent.parent / "sources"

# How the 392 synthetic works spread over the databases: (databases, number of works,
# kind, how many of them were published in 2024, the quarter before the search).
# Chosen so the totals are 1482 records, Embase the largest, trials in CENTRAL; the
# 2024 works are the ones the update round's databases re-index (18 works, 50 records,
# with Matsuda 2024 the update's 52 re-exported records).
PATTERNS = [
    (
        ("MEDLINE", "Embase", "CENTRAL", "WoS", "Scopus"),
        80,
        "trial",
        3,
    ),  # trials indexed everywhere
    (("MEDLINE", "Embase", "WoS", "Scopus"), 150, "journal", 7),  # MEDLINE journal articles
    (("MEDLINE", "Embase", "Scopus"), 40, "journal", 2),  # journals WoS does not cover
    (("Embase", "WoS", "Scopus"), 39, "abstract", 3),  # congress abstracts in journal supplements
    (("Embase", "Scopus"), 31, "abstract", 2),
    (("Embase", "CENTRAL"), 20, "trial abstract", 0),  # trial abstracts CENTRAL takes from Embase
    (("Embase",), 2, "abstract", 0),  # Embase-only congress abstracts
    (("WoS", "Scopus"), 10, "journal", 0),  # journals outside Embase
    (("Embase", "Scopus"), 20, "journal", 1),  # non-MEDLINE journals
]


def _author_list(text: str) -> list[tuple[str, str]]:
    out = []
    for part in text.split(";"):
        surname, _, given = part.strip().partition(",")
        out.append((surname.strip(), given.strip()))
    return out


def load_real() -> list[dict]:
    frame = pd.read_csv(SOURCES / "real_works.csv", dtype=str, keep_default_na=False)
    works = []
    for row in frame.to_dict("records"):
        works.append(
            {
                **row,
                "kind": "real",
                "authors": _author_list(row["authors"]),
                "year": int(row["year"]),
                "epub_year": int(row["epub_year"]) if row["epub_year"] else None,
                "databases": tuple(row["databases"].split(";")),
                "month": {
                    "nacci2007": "Jul",
                    "poelman2015": "Feb",
                    "agostini2021": "Dec",
                    "tandaipan2023": "Nov",
                    "levy2004": "Mar",
                    "sanges2017": "Apr",
                    "ihn2007": "May",
                    "matsuda2024": "Apr",
                }.get(row["work_id"], ""),
                "abstract": "",
                "keywords": [],
                "category": row["role"],
            }
        )
    return works


def team(rng: random.Random, size: tuple[int, int] = (2, 7)) -> list[tuple[str, str]]:
    names = rng.sample(SURNAMES + COMPOUND_SURNAMES, rng.randint(*size))
    return [(s, f"{rng.choice(GIVEN)} {rng.choice(MIDDLE)}".strip()) for s in names]


def title_words(title: str) -> frozenset:
    return frozenset(re.findall(r"[a-z0-9]+", title.lower()))


def too_close(title: str, seen: list[tuple[str, frozenset]]) -> bool:
    """Keep distinct synthetic works distinguishable: no near-identical titles by accident."""
    words = title_words(title)
    for other, other_words in seen:
        overlap = len(words & other_words) / len(words | other_words)
        if overlap > 0.7:
            return True
        # Word sets differ a little ("reverses" / "does not prevent"): compare the text.
        if (
            overlap > 0.45
            and difflib.SequenceMatcher(None, title.lower(), other.lower()).ratio() > 0.8
        ):
            return True
    return False


def distinct_title(
    rng: random.Random, category: str, kind: str, seen: list[tuple[str, frozenset]]
) -> str:
    """A synthetic title not too close to any ``seen`` (the first of up to 1000 draws)."""
    for _ in range(1000):
        title = synthetic_title(rng, category, kind)
        if not too_close(title, seen):
            return title
    raise RuntimeError(f"no distinct title left for {category}")


def synthetic_title(rng: random.Random, category: str, kind: str) -> str:
    design = "trial" if kind == "trial" else "cohort"
    if category == "other_disease":
        aspect, treatment, disease = (
            rng.choice(ASPECTS),
            rng.choice(INTERVENTIONS),
            rng.choice(DISEASES),
        )
        return rng.choice(
            [
                f"{aspect} of {treatment} in {disease}: {rng.choice(DESIGNS[design])}",
                f"{treatment.capitalize()} in adults with {disease}: "
                f"{aspect.lower()} in {rng.choice(DESIGNS[design])}",
                f"{aspect} with {treatment} for {disease}",
                f"{aspect} of {treatment} in patients aged "
                f"\u2265{rng.choice([18, 50, 65])} years with {disease}",
                f"<sup>18</sup>F-FDG PET/CT response to {treatment} in "
                f"{disease}: {rng.choice(DESIGNS[design])}",
            ]
        )
    if category == "ssc_other_drug":
        drug, target = rng.choice(SSC_DRUGS), rng.choice(SSC_TARGETS)
        return rng.choice(
            [
                f"{drug.capitalize()} for {target} in systemic sclerosis: "
                f"{rng.choice(DESIGNS[design])}",
                f"Efficacy of {drug} on {target} in patients with systemic "
                "sclerosis refractory to immunoglobulins",
                f"{drug.capitalize()} versus intravenous immunoglobulin for "
                f"{target} in scleroderma: {rng.choice(DESIGNS[design])}",
                f"Outcomes of {target} after {drug} in systemic sclerosis",
                f"{drug.capitalize()} for {target} in adults aged "
                f"\u2265{rng.choice([18, 40, 60])} years with systemic "
                "sclerosis",
            ]
        )
    if category == "preclinical":
        process, model = rng.choice(MODELS)
        return f"{rng.choice(PRECLIN_AGENTS)} {rng.choice(PRECLIN_VERBS)} {process} in {model}"
    if category == "case":
        event, treatment = rng.choice(CASE_EVENTS), rng.choice(INTERVENTIONS)
        subset = rng.choice(
            ["diffuse cutaneous", "limited cutaneous", "overlap", "early", "sine scleroderma"]
        )
        return rng.choice(
            [
                f"{event.capitalize()} after {treatment} in a patient with "
                f"{subset} systemic sclerosis: {rng.choice(DESIGNS['case'])}",
                f"{subset.capitalize()} systemic sclerosis complicated by "
                f"{event} and treated with {treatment}",
                f"Successful use of {treatment} for {event} in {subset} scleroderma",
                f"When {treatment} fails: {event} in a woman with {subset} systemic sclerosis",
                f"<sup>99m</sup>Tc scintigraphy of {event} after {treatment} "
                f"in {subset} systemic sclerosis",
            ]
        )
    if category == "review":
        topic = rng.choice(
            [
                "systemic sclerosis",
                rng.choice(DISEASES),
                "autoimmune connective tissue diseases",
                "inflammatory myopathies",
                "fibrosing skin disorders",
            ]
        )
        return (
            f"{rng.choice(INTERVENTIONS).capitalize()} in {topic}: "
            f"{rng.choice(DESIGNS['review'])} of "
            f"{rng.choice(ASPECTS).lower()}"
        )
    if category == "abstract":
        setting = (
            rng.choice(
                [
                    "a randomised pilot trial",
                    "a placebo-controlled trial",
                    "an ongoing randomised trial",
                ]
            )
            if kind == "trial abstract"
            else rng.choice(
                ["a single centre", "a national registry", "two tertiary centres", "a pilot cohort"]
            )
        )
        population = rng.choice(["systemic sclerosis", rng.choice(DISEASES)])
        age = rng.choice(
            ["patients", "patients", "patients aged \u226518 years", "adults aged \u226565 years"]
        )
        return (
            f"{rng.choice(ASPECTS)} of {rng.choice(INTERVENTIONS)} in {age} with {population} and "
            f"{rng.choice(SSC_TARGETS)}: preliminary data from {setting}"
        )
    raise ValueError(category)


def abstract_text(rng: random.Random, category: str) -> str:
    n = rng.randint(12, 240)
    body = {
        "other_disease": f"We describe {n} patients and the outcomes of immunoglobulin "
        "therapy outside systemic sclerosis.",
        "ssc_other_drug": f"Outcomes of {n} patients with systemic sclerosis treated "
        "with agents other than immunoglobulin are reported; "
        "intravenous immunoglobulin served only as a historical "
        "comparator.",
        "preclinical": "Experimental data from animal or cell models are reported; "
        "no patients were treated.",
        "case": "A single patient is described together with a brief discussion of the literature.",
        "review": "The published evidence is summarised; no new patient data are reported.",
        "abstract": f"Preliminary results in {n} patients are presented in abstract form only.",
        "erratum": "This notice corrects errors in the original article.",
    }[category]
    return f"{body} [{SYNTHETIC_NOTE}.]"


TRAP_SLOT = 100  # an index inside the MEDLINE-journal pattern of PATTERNS


def build_synthetic(rng: random.Random) -> list[dict]:
    slots = [
        (dbs, kind, k >= count - recent)
        for dbs, count, kind, recent in PATTERNS
        for k in range(count)
    ]
    works: list[dict] = []
    seen: list[tuple[str, frozenset]] = []

    def category_for(kind: str) -> str:
        if kind in ("abstract", "trial abstract"):
            return "abstract"
        if kind == "trial":
            return rng.choice(["other_disease", "ssc_other_drug"])
        return rng.choice(
            ["other_disease", "other_disease", "ssc_other_drug", "preclinical", "case", "review"]
        )

    # The traps sit in MEDLINE-journal slots (indexed everywhere but CENTRAL), from
    # TRAP_SLOT on: the same team's two studies with near-identical titles, a third
    # study, and (next slot, below) the erratum that corrects it.
    trap_team = [
        ("Marchetti", "Giulia R"),
        ("Haddad", "Amara"),
        ("Lindqvist", "Jonas"),
        ("Bianchi", "Chiara"),
    ]
    trap_specs = [
        dict(
            category="ssc_other_drug",
            authors=trap_team,
            year=2016,
            title="Mycophenolate mofetil for myositis overlap in systemic "
            "sclerosis compared with intravenous immunoglobulin: a 2-year "
            "follow-up",
        ),
        dict(
            category="ssc_other_drug",
            authors=trap_team,
            year=2019,
            title="Mycophenolate mofetil for myositis overlap in systemic "
            "sclerosis compared with intravenous immunoglobulin: a 5-year "
            "follow-up",
        ),
        dict(
            category="other_disease",
            authors=[("Okonkwo", "Peter"), ("Tanaka", "Yuki"), ("Weber", "Katrin M")],
            year=2020,
            title="Renal adverse events of intravenous immunoglobulin in "
            "antisynthetase syndrome: a nationwide registry analysis",
        ),
    ]
    for index, (dbs, kind, recent) in enumerate(slots):
        spec = trap_specs[index - TRAP_SLOT] if 0 <= index - TRAP_SLOT < len(trap_specs) else None
        if spec:
            category, title, authors, year = (
                spec["category"],
                spec["title"],
                spec["authors"],
                spec["year"],
            )
        else:
            category = category_for(kind)
            title = distinct_title(rng, category, kind, seen)
            authors = team(
                rng, (3, 14) if kind == "trial" else (2, 7)
            )  # multicentre trials: long lists
            year = 2024 if recent else rng.randint(2003, 2023)
        seen.append((title, title_words(title)))
        works.append(synthetic_work(rng, len(works) + 1, dbs, category, title, authors, year))
    target = works[TRAP_SLOT + 2]
    erratum = works[TRAP_SLOT + 3]
    erratum.update(
        category="erratum",
        pubtype="erratum",
        authors=list(target["authors"]),
        title=f"Erratum to: {target['title']}",
        journal=target["journal"],
        journal_abbrev=target["journal_abbrev"],
        journal_iso=target["journal_iso"],
        year=target["year"] + 1 if target["year"] < 2024 else 2024,
        epub_year=None,
        pages=str(int(target["pages"].split("-")[0]) + 211),
        abstract=abstract_text(rng, "erratum"),
    )
    erratum["volume"] = str(int(target["volume"]) + 1)
    journal = target["journal_abbrev"].lower().replace(" ", "")
    erratum["doi"] = f"10.5555/{journal}.{erratum['year']}.{TRAP_SLOT + 4:05d}"
    return works


def synthetic_work(rng, number, dbs, category, title, authors, year) -> dict:
    journal = rng.choice(JOURNALS)
    is_abstract = category == "abstract"
    start = rng.randint(1, 1400)
    pages = str(start) if is_abstract else f"{start}-{start + rng.randint(3, 11)}"
    if year == 2024:
        month = rng.choice(MONTHS[:3])  # the search ran on 15 April 2024
    else:
        month = rng.choice(MONTHS)
    pubtype = {"review": "review", "case": "case report", "abstract": "conference abstract"}.get(
        category, "article"
    )
    if (
        "CENTRAL" in dbs
        and category in ("other_disease", "ssc_other_drug")
        and "trial" not in title
    ):
        pubtype = "article"
    return {
        "work_id": f"syn{number:03d}",
        "kind": "synthetic",
        "role": "ta_excluded",
        "category": category,
        "pubtype": pubtype,
        "authors": authors,
        "title": title,
        "journal": journal[0],
        "journal_abbrev": journal[1],
        "journal_iso": journal[2],
        "year": year,
        # Articles published early in the year often went online the year before; abstracts never.
        "epub_year": year - 1
        if not is_abstract and year > 2003 and month in ("Jan", "Feb") and rng.random() < 0.5
        else None,
        "month": month,
        "volume": str(max(1, year - 1990 + JOURNALS.index(journal))),
        "issue": "S1" if is_abstract else str(rng.randint(1, 12)),
        "pages": pages,
        "doi": f"10.5555/{journal[1].lower().replace(' ', '')}.{year}.{number:05d}",
        "pmid": str(90000000 + number * 7919) if "MEDLINE" in dbs else "",
        "databases": dbs,
        "abstract": abstract_text(rng, category),
        "keywords": ["systemic sclerosis", "intravenous immunoglobulin"],
        "source": "synthetic",
    }


def with_ids(work: dict, number: int) -> dict:
    """The work with its number and database IDs: placeholders in ranges no real record uses (see
    README)."""
    return {
        **work,
        "number": number,
        "embase_id": f"L99{number:08d}",
        "cn_id": f"CN-099{number:05d}",
        "wos_id": f"WOS:999{number:012d}",
        "eid": f"2-s2.0-999{number:08d}",
    }


def original_works(seed: int = SEED) -> list[dict]:
    """The 418 works of the original round, numbered from 1 in a fixed order."""
    works = load_real() + build_synthetic(random.Random(seed))
    return [with_ids(work, number) for number, work in enumerate(works, start=1)]
