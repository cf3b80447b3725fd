"""What the tests share: where the repository, its test data and ../shared are, and the pieces
of the data shapes several test modules build (decision files, record tables).

Scenario builders that use them: review_fixture (a review on disk), screening_fixtures (six
works by hand), update_fixtures (a review with an update round), extraction_fixtures (ledger and
works frames), dedup_helpers (parser rows for dedup).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from reviewflow.decision_files import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS
from reviewflow.records import COLUMNS, to_frame

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
# Small cuts of the real exports (tests/data/README.md): the core suite reads them, not ../shared.
SAMPLES = DATA / "samples"
# REVIEWFLOW_SHARED=/nonexistent runs the suite as on a machine without ../shared.
SHARED = Path(os.environ.get("REVIEWFLOW_SHARED") or REPO.parent / "shared")

# The decision files' columns (config/README.md), as a reviewer's spreadsheet has them.
TA_HEADER = list(TITLE_ABSTRACT_COLUMNS)
FT_HEADER = list(FULL_TEXT_COLUMNS)
# The full-text facts of a retrieved report that the embedded review's eligibility rules let
# through.
ELIGIBLE = {
    "retrieved": "yes",
    "language": "English",
    "participants": "10",
    "adults_only": "yes",
    "outcome_reported": "yes",
    "design": "Retrospective",
}


def write_decisions(path, header, rows) -> str:
    """A decision file with ``header`` and ``rows`` (lists of cells); returns its path."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def decision_row(header, values: dict) -> list[str]:
    """``values`` in the order of ``header``; unnamed columns are empty."""
    return [values.get(column, "") for column in header]


def records_frame(rows) -> pd.DataFrame:
    """A record table (the ingest contract's columns) from rows naming only the fields they set."""
    return to_frame([dict.fromkeys(COLUMNS, "") | row for row in rows])
