"""From works to files: each database's export, the ground truth and the screener's decisions."""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from reviewflow.decision_files import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS

from . import central, embase, forms, medline, scopus, wos
from .vocabulary import REASONS, REVIEWER
from .works import SEED, SOURCES, original_works

REPO = Path(__file__).resolve().parent.parent.parent
DATABASES = ("MEDLINE", "Embase", "CENTRAL", "WoS", "Scopus")
# Each writer takes the records in export order and the search date (only Web of Science prints it).
WRITERS = {
    "MEDLINE": medline.export,
    "Embase": embase.export,
    "CENTRAL": central.export,
    "WoS": wos.export,
    "Scopus": scopus.export,
}
FILE_NAMES = {
    "MEDLINE": "medline.nbib",
    "Embase": "embase.ris",
    "CENTRAL": "cochrane_central.ris",
    "WoS": "wos.txt",
    "Scopus": "scopus.csv",
}
EXPORTS = {db: f"raw_exports/{name}" for db, name in FILE_NAMES.items()}
TRUTH = "tests/data/embedded_truth.csv"
TA_DECISIONS = "config/screening/title_abstract.csv"
FT_DECISIONS = "config/screening/full_text.csv"
TA_COLUMNS = list(TITLE_ABSTRACT_COLUMNS)
FT_COLUMNS = list(FULL_TEXT_COLUMNS)
SEARCH_DATE = "2024-04-15"


def csv_text(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def export_order(works: list[dict], db: str, seed: int) -> list[dict]:
    """The order a database exports its records in: shuffled, PubMed most recent first."""
    members = list(works)
    random.Random(f"{seed}-{db}").shuffle(members)
    if db == "MEDLINE":
        members.sort(key=lambda w: -w["year"])
    return members


def exports(
    members: dict[str, list[dict]], paths: dict[str, str], search_date: str
) -> dict[str, str]:
    """Each database's export text, its records in the order given."""
    return {paths[db]: WRITERS[db](members[db], search_date) for db in DATABASES}


def truth_rows(members: dict[str, list[dict]], paths: dict[str, str]) -> list[tuple[str, str]]:
    """(record_id, work_id) for every record: record_id = "<export path>:<1-based index>"."""
    return [
        (f"{paths[db]}:{i}", w["work_id"])
        for db in DATABASES
        for i, w in enumerate(members[db], start=1)
    ]


def _ta_row(work: dict) -> list[str]:
    if work["kind"] == "real":
        return [forms.decision_id(work), "include", "", REVIEWER]
    return [forms.decision_id(work), "exclude", REASONS[work["category"]], REVIEWER]


def _full_text(works: list[dict]) -> str:
    """Full-text facts (sources/full_text_facts.csv) keyed by the work's decision id."""
    facts = pd.read_csv(SOURCES / "full_text_facts.csv", dtype=str, keep_default_na=False)
    by_work = {w["work_id"]: w for w in works}
    rows = [FT_COLUMNS]
    for fact in facts.to_dict("records"):
        fact.update(id=forms.decision_id(by_work[fact["work_id"]]), reviewer=REVIEWER)
        rows.append([fact[c] for c in FT_COLUMNS])
    return csv_text(rows)


def original_files(seed: int = SEED) -> dict[str, str]:
    """Every file of the original round, by path under the repository."""
    works = original_works(seed)
    members = {
        db: export_order([w for w in works if db in w["databases"]], db, seed) for db in DATABASES
    }
    files = exports(members, EXPORTS, SEARCH_DATE)
    files[TRUTH] = csv_text([("record_id", "work_id")] + truth_rows(members, EXPORTS))
    files[TA_DECISIONS] = csv_text([TA_COLUMNS] + [_ta_row(w) for w in works])
    files[FT_DECISIONS] = _full_text(works)
    return files


def write(files: dict[str, str], out: Path) -> None:
    for rel, text in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def main(build: Callable[[], dict[str, str]], doc: str, argv=None) -> int:
    """The generators' command line: write what ``build`` returns under --out."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=REPO, help="directory to write under (default: repository root)"
    )
    args = parser.parse_args(argv)
    files = build()
    write(files, args.out)
    print(f"wrote {len(files)} files under {args.out}", file=sys.stderr)
    return 0
