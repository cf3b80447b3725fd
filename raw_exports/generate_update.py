"""Rebuild the update round of the embedded review: the same five searches re-run later.

The update searches MEDLINE, Embase, Cochrane CENTRAL, Web of Science and Scopus
again on 30 June 2025 for records added since the original search (15 April
2024). It is built the same honest way as the original round
(raw_exports/generate.py, whose works and export writers it imports):

* **Re-exported records** of works the original round already found: the 19
  works published in 2024 come back from the databases that re-index a record
  when its issue appears (Embase, Web of Science, Scopus), with the original
  round's metadata and identifiers -- nothing invented. Deduplication must find
  them as duplicates of the original round, so they are not screened again.
* **New works**: SYNTHETIC stand-ins (the review has no published update, so no
  real later record is claimed), marked in every copy like the original's, with
  fake identifiers (DOIs under 10.5555/, PMIDs >= 90000000, database IDs in the
  original's placeholder ranges, numbered from 1001). Six reach the full text:
  three are included, three excluded (a review, a case report, a congress
  abstract); the others are excluded at title/abstract.

Deterministic (fixed seed, no clock). Writes, under DIR (default: the repository root):
raw_exports/update/{medline.nbib, embase.ris, cochrane_central.ris, wos.txt, scopus.csv},
tests/data/update_truth.csv and the update's decisions
config/screening/update_title_abstract.csv and update_full_text.csv.

    python raw_exports/generate_update.py [--out DIR]
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as original  # noqa: E402  (the original round's works and writers)

SEED = 20250630  # the update's search date
SEARCH_DATE = "2025-06-30"
FIRST_NUMBER = 1001  # new works' numbers, beyond the original's 418
EXPORTS = {db: path.replace("raw_exports/", "raw_exports/update/") for db, path in original.EXPORTS.items()}
TRUTH = "tests/data/update_truth.csv"
TA_DECISIONS = "config/screening/update_title_abstract.csv"
FT_DECISIONS = "config/screening/update_full_text.csv"
REVIEWER = "SK"
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
    ("Intravenous immunoglobulin for refractory skin thickening in diffuse cutaneous systemic sclerosis: "
     "a multicentre retrospective cohort", ("MEDLINE", "Embase", "WoS", "Scopus"), "article", 2024, "Sep",
     ("22", "yes", "yes", "Retrospective study")),
    ("Muscle strength and creatine kinase after immunoglobulin therapy in systemic sclerosis with myopathy: "
     "a prospective observational study", ("MEDLINE", "Embase", "WoS", "Scopus"), "article", 2025, "Feb",
     ("14", "yes", "yes", "Prospective cohort")),
    ("Lower gastrointestinal symptoms during monthly intravenous immunoglobulin infusions in scleroderma: "
     "an open-label single-arm trial", ("MEDLINE", "Embase", "CENTRAL", "WoS", "Scopus"), "article", 2025, "Apr",
     ("9", "yes", "yes", "Open label study")),
    ("Immunoglobulins for systemic sclerosis: a narrative review of evidence published since 2020",
     ("MEDLINE", "Embase", "Scopus"), "review", 2024, "Nov", ("", "", "", "Review")),
    ("Recurrent digital ulcers treated with intravenous immunoglobulin in limited cutaneous systemic sclerosis: "
     "a case report", ("MEDLINE", "Embase", "WoS", "Scopus"), "case report", 2024, "Jul",
     ("1", "yes", "yes", "Case report")),
    ("Tolerability of home-based immunoglobulin infusions in scleroderma: preliminary data from a national "
     "registry", ("Embase", "WoS", "Scopus"), "conference abstract", 2025, "Jun", ("", "", "", "Conference abstract")),
]
FT_ABSTRACT = ("Patients with systemic sclerosis treated with immunoglobulin are described; see the full text "
               "for the outcomes.")


def previous_works() -> list[dict]:
    """The original round's works, exactly as raw_exports/generate.py builds them."""
    works = original.load_real() + original.build_synthetic(random.Random(original.SEED))
    original.assign_ids(works)
    for number, work in enumerate(works, start=1):
        work["number"] = number
    return works


def _month(rng: random.Random, year: int) -> str:
    """A month inside the update's window (16 April 2024 to 30 June 2025)."""
    return rng.choice(original.MONTHS[4:] if year == 2024 else original.MONTHS[:6])


def new_works(rng: random.Random, earlier: list[dict]) -> list[dict]:
    """The update's new works: synthetic, with titles distinct from every earlier work's."""
    seen = [(w["title"], original._words(w["title"])) for w in earlier]
    works = []

    def add(work: dict) -> None:
        number = FIRST_NUMBER + len(works)
        work.update(work_id=f"upd{number:04d}", number=number, embase_id=f"L99{number:08d}",
                    cn_id=f"CN-099{number:05d}", wos_id=f"WOS:999{number:012d}", eid=f"2-s2.0-999{number:08d}")
        seen.append((work["title"], original._words(work["title"])))
        works.append(work)

    for title, dbs, pubtype, year, month, facts in FULL_TEXT:
        if original._too_close(title, seen):
            raise RuntimeError(f"full-text work too close to an earlier title: {title}")
        work = original._synthetic_work(rng, FIRST_NUMBER + len(works), dbs, "ssc_other_drug", title,
                                        original._team(rng), year)
        work.update(role="ft", category="ft", pubtype=pubtype, month=month, epub_year=None, facts=facts,
                    abstract=f"{FT_ABSTRACT} [{original.SYNTHETIC_NOTE}.]")
        if pubtype == "conference abstract":
            work.update(issue="S1", pages=work["pages"].split("-")[0])
        add(work)
    slots = [(dbs, kind) for dbs, count, kind in PATTERNS for _ in range(count)]
    for dbs, kind in slots:
        category = ("abstract" if "abstract" in kind else rng.choice(["other_disease", "ssc_other_drug"])
                    if kind == "trial" else
                    rng.choice(["other_disease", "other_disease", "ssc_other_drug", "preclinical", "case", "review"]))
        for _ in range(1000):
            title = original._synthetic_title(rng, category, kind)
            if not original._too_close(title, seen):
                break
        else:
            raise RuntimeError(f"no distinct title left for {category}")
        year = rng.choice([2024, 2025])
        work = original._synthetic_work(rng, FIRST_NUMBER + len(works), dbs, category, title, original._team(rng), year)
        work.update(month=_month(rng, year), epub_year=None)
        add(work)
    return works


def reexported(earlier: list[dict]) -> list[dict]:
    """The earlier works a later search returns again: those published in 2024, from the
    databases that re-index them (never a database that did not have them)."""
    out = []
    for work in earlier:
        if work["year"] == 2024:
            dbs = tuple(db for db in work["databases"] if db in REINDEXING)
            if dbs:
                out.append(dict(work, databases_now=dbs))
    return out


def _export(db: str, members: list[dict], rng: random.Random) -> str:
    """One database's export text, in the same layout as the original round's."""
    if db == "MEDLINE":
        return "\n".join(original.medline(w, rng) for w in members) + "\n"
    if db == "Embase":
        return "\n".join(original.embase(w, rng) for w in members) + "\n"
    if db == "CENTRAL":
        total = len(members)
        return "\n\n".join(
            f"Record #{i} of {total}\nProvider: John Wiley & Sons, Ltd.\nContent: text/plain; charset=\"UTF-8\"\n\n"
            + original.central(w, rng) for i, w in enumerate(members, start=1)) + "\n"
    if db == "WoS":
        text = "\n".join(original.wos(w, rng) for w in members)
        return "\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n" + text.replace(
            "DA 2024-04-15", f"DA {SEARCH_DATE}") + "EF\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, original.SCOPUS_COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    for w in members:
        writer.writerow(original.scopus_row(w, rng, w["number"]))
    return "\ufeff" + buffer.getvalue()


def build() -> dict[str, str]:
    rng = random.Random(SEED)
    earlier = previous_works()
    again = reexported(earlier)
    new = new_works(rng, earlier)
    files: dict[str, str] = {}
    truth = [("record_id", "work_id", "round_of_work")]
    for db in original.DATABASES:
        members = [w for w in again if db in w["databases_now"]] + [w for w in new if db in w["databases"]]
        random.Random(f"{SEED}-{db}").shuffle(members)
        if db == "MEDLINE":  # PubMed's default export order: most recent first
            members.sort(key=lambda w: -w["year"])
        path = EXPORTS[db]
        truth += [(f"{path}:{i}", w["work_id"], "update" if w in new else "original")
                  for i, w in enumerate(members, start=1)]
        files[path] = _export(db, members, random.Random(f"{SEED}-{db}-variation"))
    files[TRUTH] = _csv(truth)
    # Decisions name each new work by an identifier its records carry (as the original's do).
    files[TA_DECISIONS] = _csv([("id", "decision", "reason", "reviewer")] + [
        (original._decision_id(w), "include" if w["role"] == "ft" else "exclude",
         "" if w["role"] == "ft" else original.REASONS[w["category"]], REVIEWER) for w in new])
    files[FT_DECISIONS] = _csv([original.FT_COLUMNS] + [
        [original._decision_id(w), "yes", "English", *w["facts"], "", "", "", REVIEWER]
        for w in new if w["role"] == "ft"])
    return files


def _csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def main(argv=None) -> int:
    return original.main(argv, build=build, doc=__doc__)


if __name__ == "__main__":
    sys.exit(main())
