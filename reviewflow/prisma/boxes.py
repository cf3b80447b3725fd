"""Which ledger rows stand behind each numbered box of the flow diagram.

The status groups are the ones counts_from_ledger counts, imported rather than
restated; a test checks that every list is exactly as long as its box's number.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.prisma.counts import ASSESSED, SCREENED, SOUGHT, other_method_rows
from reviewflow.screening.ledger import in_review

REMOVED = ("duplicate", "excluded_automation", "excluded_other")

# Box key -> statuses of the current round's rows it lists (None: all of them).
CURRENT = {
    "database_results": None,
    "duplicates": REMOVED,
    "records_screened": SCREENED,
    "records_excluded": ("excluded_screening",),
    "dbr_sought_reports": SOUGHT,
    "dbr_notretrieved_reports": ("not_retrieved",),
    "dbr_assessed": ASSESSED,
    "dbr_excluded": ("excluded_full_text",),
}
# The other methods' column (the identification box is keyed by its first field).
OTHER = {
    "website_results": None,
    "other_sought_reports": SOUGHT,
    "other_notretrieved_reports": ("not_retrieved",),
    "other_assessed": ASSESSED,
    "other_excluded": ("excluded_full_text",),
}


def box_rows(ledger: pd.DataFrame, rounds: list[str], methods=()) -> dict[str, list[int]]:
    """Positional row numbers of ``ledger`` behind each box, in ledger order; ``methods``
    (config.methods) are the sources of the other methods' column."""
    latest = (ledger["round"] == rounds[-1]).to_numpy()
    other = other_method_rows(ledger, methods).to_numpy()
    status = ledger["status"]
    rows = {}
    branches = [(CURRENT, latest & ~other)] + ([(OTHER, latest & other)] if len(methods) else [])
    for boxes, branch in branches:
        for key, statuses in boxes.items():
            mask = branch if statuses is None else branch & status.isin(statuses).to_numpy()
            rows[key] = [int(i) for i in mask.nonzero()[0]]
    # New studies include earlier rounds' works first included now (counts_from_ledger).
    rows["new_studies"] = [int(i) for i in status.eq("included").to_numpy().nonzero()[0]]
    if len(rounds) > 1:
        previous = status.eq("previous_included").to_numpy()
        rows["previous_studies"] = [int(i) for i in previous.nonzero()[0]]
        rows["total_studies"] = [int(i) for i in in_review(ledger).to_numpy().nonzero()[0]]
    return rows
