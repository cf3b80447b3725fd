"""``reviewflow screen``: records, clusters and decisions in; ledger and pending out.

The PRISMA counts are the next stage's (``reviewflow counts``, reviewflow.prisma.counts),
read from the ledger this stage writes."""

from __future__ import annotations

import pandas as pd

from reviewflow.config import round_names
from reviewflow.contracts import CLUSTERS, PAIRS, RELATED, WORKS
from reviewflow.errors import ReviewflowError
from reviewflow.exchange import importer
from reviewflow.paths import SCREENING
from reviewflow.records import COLUMNS as RECORD_COLUMNS
from reviewflow.records import read_csv
from reviewflow.screening import (
    decisions,
)
from reviewflow.screening import (
    ledger as ledger_mod,
)
from reviewflow.screening import (
    pending as pending_mod,
)
from reviewflow.screening import (
    rounds as rounds_mod,
)

# The columns the stage reads from each table dedup and ingest hand it.
_NEEDS = {
    "records": tuple(RECORD_COLUMNS),
    "clusters": CLUSTERS.needs("record_id", "cluster_id", "is_primary", "duplicate_of"),
    "works": WORKS.needs("cluster_id", "key"),
    "pairs": PAIRS.needs("record_a", "record_b"),
    "related": RELATED.needs("work_key", "related_record", "relation"),
}


def _table(path, kind: str) -> pd.DataFrame:
    return read_csv(path, _NEEDS[kind])


def load_decisions(
    config: dict, index: dict, labels: dict, works: pd.DataFrame
) -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    """(title_abstract, full_text) of all rounds and as decided before the latest round.

    Each round's files are read once; a later round's decision about a work
    replaces an earlier round's, stage by stage. Decisions imported from a
    screening tool (``screening_tools: imports``) join their round's files and
    pass the same checks: a tool decision contradicting the file is an error.
    """
    names = round_names(config["rounds"])
    unknown = sorted(
        {
            item["round"]
            for item in (config.get("screening_tools") or {}).get("imports", [])
            if "round" in item and item["round"] not in names
        }
    )
    if unknown:
        raise ReviewflowError(
            f"screening_tools imports name unknown round(s) {', '.join(unknown)} "
            f"(rounds: {', '.join(names)})",
            "config",
        )
    loaded: dict[
        tuple, tuple[dict, dict]
    ] = {}  # by files (and tool imports), in the order rounds first use them
    first_used: list[int] = []
    facts = [rule["fact"] for rule in (config.get("eligibility") or {}).get("full_text") or []]
    for number, files in enumerate(rounds_mod.decision_sets(config)):
        paths = (files["title_abstract"], files["full_text"])
        imported = [
            decisions.rows_from_frame(
                importer.decisions_from_config(config, works, stage, round_name=names[number]),
                columns,
                f"screening_tools {stage} import",
            )
            for stage, columns in (
                ("title_abstract", decisions.TITLE_ABSTRACT_COLUMNS),
                ("full_text", decisions.full_text_columns(facts)),
            )
        ]
        # Rounds sharing the files share one decision set, unless tool decisions join one of them.
        cache_key = paths + ((names[number],) if any(imported) else ())
        if cache_key not in loaded:
            loaded[cache_key] = (
                decisions.load_title_abstract(paths[0], index, labels, imported[0]),
                decisions.load_full_text(paths[1], index, labels, imported[1], facts),
            )
            first_used.append(number)
    latest = len(config["rounds"]) - 1

    def merged(before: int) -> tuple[dict, dict]:
        title_abstract, full_text = {}, {}
        for (ta, ft), number in zip(loaded.values(), first_used):
            if number < before:
                title_abstract.update(ta)
                full_text.update(ft)
        return title_abstract, full_text

    return merged(latest + 1), merged(max(1, latest))


def screen(
    record_paths, clusters_path, works_path, config: dict, out, pairs_path=None, related_path=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build and write the ledger and the pending list; return them.

    ``pairs_path`` (results/dedup/pairs.csv) is needed with more than one round,
    to check that the latest round changes no earlier work. ``related_path``
    (results/dedup/related.csv) flags works with an erratum or retraction notice.
    """
    records = pd.concat([_table(p, "records") for p in record_paths], ignore_index=True)
    works = _table(works_path, "works")
    base = ledger_mod.ledger_base(
        records,
        _table(clusters_path, "clusters"),
        works,
        config["rounds"],
        _table(related_path, "related") if related_path else None,
    )
    rounds_mod.check_bridges(
        base, _table(pairs_path, "pairs") if pairs_path else None, config["rounds"]
    )
    index = decisions.build_index(base, works)
    labels = dict(zip(base["cluster_id"], base["work_key"]))
    (title_abstract, full_text), earlier = load_decisions(config, index, labels, works)
    ledger = ledger_mod.build_ledger(
        base, title_abstract, full_text, config.get("eligibility") or {}, earlier
    )
    waiting = pending_mod.pending(ledger)

    written = SCREENING.under(out)
    for path in written.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    ledger_mod.write_ledger(ledger, written["ledger"])
    pending_mod.write_csv(waiting, written["pending"])
    written["pending_ris"].write_text(pending_mod.to_ris(waiting, works, records), encoding="utf-8")
    return ledger, waiting
