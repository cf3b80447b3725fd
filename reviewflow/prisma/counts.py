"""PRISMA 2020 counts as plain counts over the audit ledger (CONTRACTS.md section 4).

Field names are those of the PRISMA2020 R package. Each number counts ledger rows
by ``status``, so ``reviewflow verify`` can re-derive every one of them.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.prisma.boxes import ASSESSED, SCREENED, SOUGHT


def _studies(rows: pd.DataFrame) -> int:
    # A report without a study label is its own study.
    labels = rows["study"].where(rows["study"] != "", rows["work_key"])
    return int(labels.nunique())


def counts_from_ledger(ledger: pd.DataFrame, rounds) -> dict:
    """Counts for the last of ``rounds`` (round names, oldest first)."""
    current = ledger[ledger["round"] == list(rounds)[-1]]
    status = current["status"]

    def n(*statuses):
        return int(status.isin(statuses).sum())

    included = current[status == "included"]
    excluded = current[status == "excluded_full_text"]
    counts = {
        "database_results": len(current),
        "database_specific_results": {db: int(k) for db, k in current["source_db"].value_counts().sort_index().items()},
        "duplicates": n("duplicate"),
        "excluded_automatic": n("excluded_automation"),
        "excluded_other": n("excluded_other"),
        "records_screened": n(*SCREENED),
        "records_excluded": n("excluded_screening"),
        "dbr_sought_reports": n(*SOUGHT),
        "dbr_notretrieved_reports": n("not_retrieved"),
        "dbr_assessed": n(*ASSESSED),
        "dbr_excluded": {r: int(k) for r, k in excluded["ft_reason"].value_counts().sort_index().items()},
        "new_studies": _studies(included),
        "new_reports": len(included),
        "complete": n("pending_screening", "pending_full_text") == 0,
    }
    if len(rounds) > 1:
        previous = ledger[ledger["status"] == "previous_included"]
        counts["previous_studies"] = _studies(previous)
        counts["previous_reports"] = len(previous)
        counts["total_studies"] = _studies(pd.concat([previous, included]))
        counts["total_reports"] = len(previous) + len(included)
    return counts
