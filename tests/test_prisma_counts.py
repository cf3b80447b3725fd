import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewflow.prisma.counts import counts_from_ledger
from reviewflow.screening.ledger import COLUMNS

# (source_db, status, ft_reason, study, round)
ROWS = [
    ("MEDLINE", "included", "", "Levy 2004", "original"),
    ("MEDLINE", "included", "", "Levy 2004", "original"),  # a second report of one study
    ("MEDLINE", "excluded_full_text", "Fewer than 5 patients", "", "original"),
    ("Embase", "excluded_full_text", "Fewer than 5 patients", "", "original"),
    ("Embase", "excluded_full_text", "Not in English", "", "original"),
    ("Embase", "not_retrieved", "Not retrieved", "", "original"),
    ("Embase", "duplicate", "", "", "original"),
    ("Scopus", "duplicate", "", "", "original"),
    ("Scopus", "excluded_screening", "", "", "original"),
    ("Scopus", "excluded_automation", "", "", "original"),
    ("Scopus", "excluded_other", "", "", "original"),
    ("Scopus", "included", "", "", "original"),
]


def ledger(rows=ROWS):
    frame = pd.DataFrame(rows, columns=["source_db", "status", "ft_reason", "study", "round"])
    frame["work_key"] = [f"rf-{i}" for i in range(len(frame))]
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def test_counts_arithmetic():
    counts = counts_from_ledger(ledger(), [{"name": "original", "searches": []}])
    assert counts == {
        "database_results": 12,
        "database_specific_results": {"Embase": 4, "MEDLINE": 3, "Scopus": 5},
        "duplicates": 2,
        "excluded_automatic": 1,
        "excluded_other": 1,
        "records_screened": 8,
        "records_excluded": 1,
        "dbr_sought_reports": 7,
        "dbr_notretrieved_reports": 1,
        "dbr_assessed": 6,
        "dbr_excluded": {"Fewer than 5 patients": 2, "Not in English": 1},
        "new_studies": 2,
        "new_reports": 3,
        "complete": True,
    }
    # The identities the PRISMA diagram relies on.
    assert sum(counts["database_specific_results"].values()) == counts["database_results"]
    assert (
        counts["database_results"]
        - counts["duplicates"]
        - counts["excluded_automatic"]
        - counts["excluded_other"]
        == counts["records_screened"]
    )
    assert counts["records_screened"] - counts["records_excluded"] == counts["dbr_sought_reports"]
    assert (
        counts["dbr_sought_reports"] - counts["dbr_notretrieved_reports"] == counts["dbr_assessed"]
    )
    assert counts["dbr_assessed"] - sum(counts["dbr_excluded"].values()) == counts["new_reports"]


def test_pending_rows_make_counts_incomplete_without_inventing_numbers():
    rows = ROWS + [
        ("Scopus", "pending_screening", "", "", "original"),
        ("Scopus", "pending_full_text", "Missing fact: participants", "", "original"),
    ]
    counts = counts_from_ledger(ledger(rows))
    assert counts["complete"] is False
    assert counts["database_results"] == 14
    # The record waiting for title/abstract screening is not counted as screened;
    # the report waiting for facts was screened and sought, but not yet assessed.
    assert counts["records_screened"] == 9
    assert counts["dbr_sought_reports"] == 8
    assert counts["dbr_assessed"] == 6
    assert counts["new_reports"] == 3


def test_later_round_counts_new_records_and_adds_previous_studies():
    rows = [
        ("MEDLINE", "previous_included", "", "Levy 2004", "original"),
        ("MEDLINE", "previous_excluded", "", "", "original"),
        ("MEDLINE", "included", "", "Levy 2004", "update"),  # a new report of a known study
        ("Embase", "included", "", "", "update"),
        ("Embase", "duplicate", "", "", "update"),
    ]
    counts = counts_from_ledger(ledger(rows), ["original", "update"])
    assert counts["database_results"] == 3
    assert (counts["new_reports"], counts["new_studies"]) == (2, 2)
    assert (counts["previous_reports"], counts["previous_studies"]) == (1, 1)
    assert (counts["total_reports"], counts["total_studies"]) == (3, 2)


STATUSES = [
    "duplicate",
    "excluded_automation",
    "excluded_other",
    "excluded_screening",
    "not_retrieved",
    "excluded_full_text",
    "included",
]


@pytest.mark.slow
@settings(deadline=None, max_examples=60)  # pandas work per example; the machine is shared
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["MEDLINE", "Embase"]),
            st.sampled_from(STATUSES),
            st.sampled_from(["Reason A", "Reason B"]),
            st.sampled_from(["", "S1", "S2"]),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_flow_identities_hold_for_any_complete_ledger(rows):
    frame = ledger(
        [
            (db, status, reason if status == "excluded_full_text" else "", study, "r1")
            for db, status, reason, study in rows
        ]
    )
    counts = counts_from_ledger(frame, ["r1"])
    assert counts["complete"] is True
    assert (
        sum(counts["database_specific_results"].values()) == counts["database_results"] == len(rows)
    )
    removed = counts["duplicates"] + counts["excluded_automatic"] + counts["excluded_other"]
    assert counts["database_results"] - removed == counts["records_screened"]
    assert counts["records_screened"] - counts["records_excluded"] == counts["dbr_sought_reports"]
    assert (
        counts["dbr_sought_reports"] - counts["dbr_notretrieved_reports"] == counts["dbr_assessed"]
    )
    assert counts["dbr_assessed"] - sum(counts["dbr_excluded"].values()) == counts["new_reports"]
    assert counts["new_studies"] <= counts["new_reports"]
