"""Build a small but complete review on disk, the way the pipeline leaves it.

RIS exports per database, a config naming them, decision files, the audit ledger
(docs/contracts.md, ledger) and counts.json. Statuses are handed out to works in
the order of ``plan`` so a test can ask for any PRISMA numbers it wants.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from fixtures import ELIGIBLE, FT_HEADER, TA_HEADER

from reviewflow.ingest import read_export
from reviewflow.prisma.counts import counts_from_ledger, write_counts
from reviewflow.screening.ledger import COLUMNS as LEDGER_COLUMNS
from reviewflow.screening.ledger import write_ledger


def _export_text(db: str, works: list[int]) -> str:
    lines = []
    for i, w in enumerate(works, start=1):
        lines += [
            "TY  - JOUR",
            f"ID  - {db[:3].upper()}{i:05d}",
            f"TI  - Intravenous immunoglobulin in systemic sclerosis, report {w}",
            f"PY  - {2003 + w % 21}",
            f"DO  - 10.1000/work.{w}",
            "ER  - ",
            "",
        ]
    return "\n".join(lines)


def make_review(
    root: Path, per_db: dict[str, int], plan: list[tuple], round_name: str = "original"
) -> dict:
    """Write a review under ``root``; returns its paths, ledger and counts.

    ``plan`` is a list of (status, n_works, reason, study) handed out in work order;
    the numbers of works must add up to the number of works, which is the larger
    of the biggest database and the number of works the plan asks for.
    """
    root = Path(root)
    n_works = sum(item[1] for item in plan)
    assert sum(per_db.values()) >= n_works, "more works than records"
    # Records of each database tile the works in a circle, so every work is found
    # at least once and a database bigger than the set has within-database duplicates.
    members: dict[int, list[tuple[str, int]]] = {w: [] for w in range(n_works)}
    exports, start = {}, 0
    (root / "raw_exports").mkdir(parents=True, exist_ok=True)
    for db, n in per_db.items():
        works = [(start + j) % n_works for j in range(n)]
        start += n
        path = f"raw_exports/{db.lower().replace(' ', '_')}.ris"
        (root / path).write_text(_export_text(db, works), encoding="utf-8")
        exports[db] = path
        for index, w in enumerate(works, start=1):
            members[w].append((db, index))

    frames = [read_export(root / p, source_db=db, name=p) for db, p in exports.items()]
    records = pd.concat(frames, ignore_index=True).set_index("record_id")
    statuses = [(status, reason, study) for status, n, reason, study in plan for _ in range(n)]
    rows = []
    for w, found in members.items():
        status, reason, study = statuses[w]
        primary = f"{exports[found[0][0]]}:{found[0][1]}"
        for db, index in found:
            record_id = f"{exports[db]}:{index}"
            rec = records.loc[record_id]
            is_primary = record_id == primary
            row = {c: "" for c in LEDGER_COLUMNS}
            row.update(
                record_id=record_id,
                round=round_name,
                source_db=db,
                source_file=exports[db],
                source_index=index,
                source_id=rec["source_id"],
                title=rec["title"],
                year=rec["year"],
                doi=rec["doi"],
                cluster_id=w + 1,
                work_key=f"rf-{w:010x}",
                is_primary=is_primary,
                duplicate_of="" if is_primary else primary,
                duplicate_scope="" if is_primary else "within_round",
                status=status if is_primary else "duplicate",
            )
            if is_primary:
                if status == "excluded_automation":
                    row["automation"] = reason
                if status not in ("excluded_automation", "excluded_other", "pending_screening"):
                    row["ta_decision"] = "exclude" if status == "excluded_screening" else "include"
                    row["ta_reason"] = reason if status == "excluded_screening" else ""
                    row["ta_reviewer"] = "SK"
                if status in ("not_retrieved", "excluded_full_text", "included"):
                    row["ft_retrieved"] = "no" if status == "not_retrieved" else "yes"
                if status in ("excluded_full_text", "included"):
                    row["ft_decision"] = "exclude" if status == "excluded_full_text" else "include"
                    row["ft_reason"] = reason if status == "excluded_full_text" else ""
                    row["ft_design"] = "Retrospective"
                    row["study"] = study or ""
            rows.append(row)
    ledger = pd.DataFrame(rows, columns=LEDGER_COLUMNS).sort_values(["source_file", "source_index"])
    ledger = ledger.reset_index(drop=True)

    (root / "config/screening").mkdir(parents=True, exist_ok=True)
    decisions = {
        "title_abstract": "config/screening/title_abstract.csv",
        "full_text": "config/screening/full_text.csv",
    }
    primaries = ledger[ledger["is_primary"]]
    primaries[["work_key", "ta_decision", "ta_reason", "ta_reviewer"]].to_csv(
        root / decisions["title_abstract"], index=False, lineterminator="\n"
    )
    primaries[["work_key", "ft_retrieved", "ft_design", "study"]].to_csv(
        root / decisions["full_text"], index=False, lineterminator="\n"
    )
    config = {
        "review": {"title": "Fixture review"},
        "rounds": [
            {
                "name": round_name,
                "searches": [
                    {"database": db, "date": "2024-04-15", "exports": [p]}
                    for db, p in exports.items()
                ],
            }
        ],
        "screening": decisions,
    }
    (root / "config/config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )

    (root / "results/audit").mkdir(parents=True, exist_ok=True)
    (root / "results/prisma").mkdir(parents=True, exist_ok=True)
    write_ledger(ledger, root / "results/audit/ledger.csv")
    counts = counts_from_ledger(ledger, [round_name])
    write_counts(counts, root / "results/prisma/counts.json")
    return {"root": root, "exports": exports, "ledger": ledger, "counts": counts, "config": config}


# The embedded review's Fig. 1 (Koczanowski et al. 2024); the split over databases
# and reasons is made up (the paper does not give it) but adds up to its totals.
REFERENCE_PER_DB = {
    "MEDLINE": 301,
    "Embase": 612,
    "Cochrane CENTRAL": 38,
    "Web of Science": 262,
    "Scopus": 269,
}
REFERENCE_PLAN = [
    ("excluded_screening", 392, "Not about IVIG in SSc", None),
    ("excluded_full_text", 5, "Not a primary clinical study", None),
    ("excluded_full_text", 6, "Fewer than 5 patients with SSc who received IVIG", None),
    ("excluded_full_text", 3, "No measurable outcome", None),
] + [("included", 1, None, f"Study {i}") for i in range(1, 13)]


# Full-text facts that fail each eligibility rule of FULL_TEXT_RULES (by its reason).
FULL_TEXT_RULES = [
    {"fact": "design", "not_in": ["Review"], "reason": "Not a primary clinical study"},
    {"fact": "language", "in": ["English"], "reason": "Not in English"},
    {
        "fact": "participants",
        "min": 5,
        "reason": "Fewer than 5 patients with SSc who received IVIG",
    },
    {"fact": "adults_only", "equals": "yes", "reason": "Not limited to adults"},
    {"fact": "outcome_reported", "equals": "yes", "reason": "No measurable outcome"},
]
FAILING = {
    "Not a primary clinical study": {"design": "Review"},
    "Not in English": {"language": "French"},
    "Fewer than 5 patients with SSc who received IVIG": {"participants": "2"},
    "Not limited to adults": {"adults_only": "no"},
    "No measurable outcome": {"outcome_reported": "no"},
}


def make_pipeline_review(root: Path, per_db: dict[str, int], plan: list[tuple]) -> dict:
    """``make_review``'s exports, with decision files in the screening stage's format and the
    ledger, counts, dedup tables and PRISMA outputs the workflow's own stages derive from them, so
    ``reviewflow verify`` (which re-runs those stages) can hold the run to them.

    Plan statuses: pending_screening, excluded_screening, not_retrieved, excluded_full_text
    (a reason of FULL_TEXT_RULES), pending_full_text, included.
    """
    import contextlib

    from screening_fixtures import screen_and_count

    from reviewflow.dedup.output import run_dedup
    from reviewflow.ingest import ingest
    from reviewflow.paths import COUNTS, DEDUP, PRISMA, RESULTS, SCREENING, records_table
    from reviewflow.prisma.outputs import write_prisma

    root = Path(root)
    review = make_review(root, per_db, plan)
    primaries = review["ledger"][review["ledger"]["is_primary"]]
    title_abstract, full_text = [], []
    for row in primaries.to_dict("records"):
        status, work = row["status"], row["doi"]
        assert status in (
            "pending_screening",
            "excluded_screening",
            "not_retrieved",
            "excluded_full_text",
            "pending_full_text",
            "included",
        ), status
        if status == "pending_screening":
            continue  # no decision yet
        include = status != "excluded_screening"
        title_abstract.append(
            {
                "id": work,
                "decision": "include" if include else "exclude",
                "reason": "" if include else row["ta_reason"],
                "reviewer": "SK",
            }
        )
        if status == "not_retrieved":
            full_text.append({"id": work, "retrieved": "no"})
        elif status in ("excluded_full_text", "included"):
            facts = dict(ELIGIBLE, **FAILING.get(row["ft_reason"], {}))
            full_text.append({"id": work, **facts, "study": row["study"], "reviewer": "SK"})
    config = review["config"]
    pd.DataFrame(title_abstract, columns=TA_HEADER).to_csv(
        root / config["screening"]["title_abstract"], index=False, lineterminator="\n"
    )
    pd.DataFrame(
        [{c: row.get(c, "") for c in FT_HEADER} for row in full_text], columns=FT_HEADER
    ).to_csv(root / config["screening"]["full_text"], index=False, lineterminator="\n")
    config["eligibility"] = {"full_text": FULL_TEXT_RULES}
    (root / "config/config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )

    # The stages as the workflow's rules run them: each command's own function, its paths.
    results = root / RESULTS
    with contextlib.chdir(root):
        tables = [results / records_table(path) for path in review["exports"].values()]
        for (db, path), table in zip(review["exports"].items(), tables):
            table.parent.mkdir(parents=True, exist_ok=True)  # as the rule's output directory
            ingest([path], table, db)
        run_dedup(tables, results / DEDUP.directory, config)
        dedup = DEDUP.under(results / DEDUP.directory)
        ledger, counts, _ = screen_and_count(
            tables,
            dedup["clusters"],
            dedup["works"],
            config,
            results,
            pairs_path=dedup["pairs"],
            related_path=dedup["related"],
        )
        write_prisma(
            SCREENING.under(results)["ledger"],
            COUNTS.under(results / COUNTS.directory)["counts"],
            "config/config.yaml",
            results / PRISMA.directory,
        )
    return dict(review, ledger=ledger, counts=counts, config=config)
