"""PRISMA 2020 counts, every one a count over the audit ledger's rows.

Field names are those of the PRISMA2020 R package's input template, so the
numbers can be pasted into it. ``complete`` is false while any work still waits
for a decision: the numbers then describe the screening done so far, and none
is filled in by assumption.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from reviewflow.config import METHODS, methods, registers, round_names
from reviewflow.screening.ledger import read_ledger, withdrawn_reasons

# Which statuses each box counts. A work waiting for a decision is counted only
# as far as its decisions go: a record without a title/abstract decision is not
# "screened", a report without complete facts is "sought" but not "assessed".
ASSESSED = ("excluded_full_text", "included")
SOUGHT = ("not_retrieved", "pending_full_text") + ASSESSED
SCREENED = ("excluded_screening",) + SOUGHT
PENDING = ("pending_screening", "pending_full_text")
# An other method's record that no report was sought for: excluded on its title and
# abstract, or by an automation rule (the template draws no box for these; counts.json
# has them as other_not_sought, so the column adds up).
NOT_SOUGHT = ("excluded_screening", "excluded_automation", "excluded_other")


def _studies(rows: pd.DataFrame) -> int:
    """Distinct studies: a report without a study label is a study of its own."""
    labels = rows["study"].where(rows["study"].astype(str) != "", rows["work_key"])
    return int(labels.nunique())


def template_fields(per_method: dict[str, int]) -> dict[str, int]:
    """Each of the template's other-methods fields (config.METHODS) with the records of the
    methods it counts: {"website_results": n, "organisation_results": n, ...}."""
    return {
        field: sum(k for method, k in per_method.items() if METHODS[method] == field)
        for field in dict.fromkeys(METHODS.values())
    }


def other_method_rows(ledger: pd.DataFrame, methods=()) -> pd.Series:
    """The rows of records found by other methods (source_db one of ``methods``)."""
    return ledger["source_db"].isin(list(methods))


def counts_from_ledger(ledger: pd.DataFrame, rounds=None, registers=(), methods=()) -> dict:
    """The PRISMA 2020 numbers of the latest round (all rows when ``rounds`` is None).

    ``registers`` are the sources (source_db) that are trial registers
    (config.registers): with any, their records are register_results (in total) and
    register_specific_results (per register), the rest database_results; a review
    without register searches has no register fields.

    ``methods`` are the other methods (config.methods): their records make the
    template's second column (website_results, organisation_results and
    citations_results by config.METHODS; other_specific_results per method; reports
    sought, not retrieved, assessed and excluded as other_*), and every other count is
    of the databases' and registers' records. A work both found is theirs, the other
    method's record its duplicate (other_duplicates); other_not_sought counts the other
    methods' works no report was sought for. New studies and reports are both columns'.

    With more than one round (the template for updated reviews), the
    identification, screening and eligibility boxes count the latest round's
    records; works included in earlier rounds are previous_studies /
    previous_reports and the totals add the new ones. Extra keys, beyond the
    PRISMA2020 package's: duplicates_within_round / duplicates_previous_round
    split ``duplicates`` (copies of a new work / of a work earlier rounds
    screened), previous_reports_excluded {reason: n} counts previously included
    reports the update excludes (the totals leave them out), and
    new_reports_from_previous_rounds counts works an earlier round found but did
    not include that the latest decisions include (e.g. a report not retrieved
    then, retrieved now): they are new studies, though not in this round's
    identification and screening boxes.
    """
    names = round_names(rounds) if rounds else []
    latest = ledger if len(names) < 1 else ledger.loc[ledger["round"] == names[-1]]
    other = latest.loc[other_method_rows(latest, methods)]
    current = latest.loc[~other_method_rows(latest, methods)]
    status = current["status"]

    def n(*statuses, rows=current) -> int:
        return int(rows["status"].isin(statuses).sum())

    def reasons(rows) -> dict[str, int]:
        excluded = rows.loc[rows["status"] == "excluded_full_text", "ft_reason"]
        return {reason: int(k) for reason, k in excluded.value_counts().sort_index().items()}

    # Included works: this round's, and earlier rounds' works first included now.
    included = ledger.loc[ledger["status"] == "included"]
    in_register = current["source_db"].isin(list(registers))

    def per_source(rows) -> dict[str, int]:
        return {name: int(k) for name, k in rows["source_db"].value_counts().sort_index().items()}

    counts = {
        "database_results": int((~in_register).sum()),
        "database_specific_results": per_source(current.loc[~in_register]),
        "duplicates": n("duplicate"),
        "excluded_automatic": n("excluded_automation"),
        "excluded_other": n("excluded_other"),
        "records_screened": n(*SCREENED),
        "records_excluded": n("excluded_screening"),
        "dbr_sought_reports": n(*SOUGHT),
        "dbr_notretrieved_reports": n("not_retrieved"),
        "dbr_assessed": n(*ASSESSED),
        "dbr_excluded": reasons(current),
        "new_studies": _studies(included),
        "new_reports": len(included),
        "complete": not bool(ledger["status"].isin(PENDING).any()),
    }
    if len(registers):
        counts["register_results"] = int(in_register.sum())
        counts["register_specific_results"] = per_source(current.loc[in_register])
    if len(methods):
        found = per_source(other)
        counts["other_specific_results"] = {method: found.get(method, 0) for method in methods}
        counts |= template_fields(found)
        counts |= {
            "other_duplicates": n("duplicate", rows=other),
            "other_not_sought": n(*NOT_SOUGHT, rows=other),
            "other_sought_reports": n(*SOUGHT, rows=other),
            "other_notretrieved_reports": n("not_retrieved", rows=other),
            "other_assessed": n(*ASSESSED, rows=other),
            "other_excluded": reasons(other),
        }
    if len(names) > 1:
        scope = current.loc[status == "duplicate", "duplicate_scope"]
        counts["duplicates_within_round"] = int((scope == "within_round").sum())
        counts["duplicates_previous_round"] = int((scope == "previous_round").sum())
        counts["new_reports_from_previous_rounds"] = int((included["round"] != names[-1]).sum())
        previous = ledger.loc[ledger["status"] == "previous_included"]
        withdrawn = withdrawn_reasons(previous)
        kept = previous.loc[withdrawn == ""]
        counts["previous_studies"] = _studies(previous)
        counts["previous_reports"] = len(previous)
        counts["previous_reports_excluded"] = {
            reason: int(k)
            for reason, k in withdrawn[withdrawn != ""].value_counts().sort_index().items()
        }
        counts["total_studies"] = _studies(pd.concat([kept, included]))
        counts["total_reports"] = len(kept) + len(included)
    return counts


def write_counts(counts: dict, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(counts, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_counts_of(ledger_path, config: dict, out) -> dict:
    """counts.json from the ledger the screening stage wrote (``reviewflow counts``); the counts."""
    counts = counts_from_ledger(
        read_ledger(ledger_path),
        config["rounds"],
        registers(config["rounds"]),
        methods(config["rounds"]),
    )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_counts(counts, out)
    return counts
