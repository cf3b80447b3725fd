"""Counts for an updated review, on a hand-built ledger."""

import pandas as pd

from reviewflow.prisma.counts import counts_from_ledger
from reviewflow.screening.ledger import COLUMNS

# round, source_db, status, duplicate_scope, study, ta_decision, ta_reason, ft_decision, ft_reason,
# automation
ROWS = [
    ("v1", "MEDLINE", "previous_included", "", "Levy 2004", "include", "", "include", "", ""),
    (
        "v1",
        "MEDLINE",
        "previous_included",
        "",
        "Levy 2004",
        "include",
        "",
        "include",
        "",
        "",
    ),  # 2nd report
    (
        "v1",
        "Embase",
        "previous_included",
        "",
        "",
        "include",
        "",
        "exclude (override)",
        "Retracted",
        "",
    ),
    ("v1", "Embase", "previous_included", "", "", "include", "", "include", "", ""),
    ("v1", "Embase", "previous_excluded", "", "", "exclude", "Not SSc", "", "", ""),
    ("v1", "Embase", "duplicate", "within_round", "", "", "", "", "", ""),
    ("v2", "MEDLINE", "duplicate", "previous_round", "", "", "", "", "", ""),
    ("v2", "MEDLINE", "duplicate", "previous_round", "", "", "", "", "", ""),
    ("v2", "Embase", "duplicate", "within_round", "", "", "", "", "", ""),
    (
        "v2",
        "Embase",
        "included",
        "",
        "Levy 2004",
        "include",
        "",
        "include",
        "",
        "",
    ),  # new report, known study
    ("v2", "Embase", "included", "", "", "include", "", "include", "", ""),
    (
        "v2",
        "Scopus",
        "excluded_full_text",
        "",
        "",
        "include",
        "",
        "exclude",
        "Fewer than 5 patients",
        "",
    ),
    ("v2", "Scopus", "excluded_screening", "", "", "exclude", "Review", "", "", ""),
    ("v2", "Scopus", "excluded_automation", "", "", "", "", "", "", "Year 2001 outside 2003-2025"),
]


def ledger(rows=ROWS):
    names = [
        "round",
        "source_db",
        "status",
        "duplicate_scope",
        "study",
        "ta_decision",
        "ta_reason",
        "ft_decision",
        "ft_reason",
        "automation",
    ]
    frame = pd.DataFrame(rows, columns=names)
    frame["work_key"] = [f"rf-{i}" for i in range(len(frame))]
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def test_updated_review_counts():
    counts = counts_from_ledger(ledger(), ["v1", "v2"])
    assert counts == {
        "database_results": 8,
        "database_specific_results": {"Embase": 3, "MEDLINE": 2, "Scopus": 3},
        "duplicates": 3,
        "duplicates_within_round": 1,
        "duplicates_previous_round": 2,
        "excluded_automatic": 1,
        "excluded_other": 0,
        "records_screened": 4,
        "records_excluded": 1,
        "dbr_sought_reports": 3,
        "dbr_notretrieved_reports": 0,
        "dbr_assessed": 3,
        "dbr_excluded": {"Fewer than 5 patients": 1},
        "new_studies": 2,
        "new_reports": 2,
        "new_reports_from_previous_rounds": 0,
        "previous_studies": 3,
        "previous_reports": 4,
        "previous_reports_excluded": {"Retracted": 1},
        # Levy 2004 (previous, and a new report of it), the kept previous study, the new study.
        "total_studies": 3,
        "total_reports": 5,
        "complete": True,
    }
    removed = counts["duplicates"] + counts["excluded_automatic"] + counts["excluded_other"]
    assert counts["database_results"] - removed == counts["records_screened"]
    assert (
        counts["duplicates_within_round"] + counts["duplicates_previous_round"]
        == counts["duplicates"]
    )
    assert (
        counts["total_reports"]
        == counts["previous_reports"]
        - sum(counts["previous_reports_excluded"].values())
        + counts["new_reports"]
    )


def test_a_previous_study_excluded_at_title_abstract_or_by_automation_gives_that_reason():
    rows = [
        ("v1", "MEDLINE", "previous_included", "", "", "exclude", "", "", "", ""),
        (
            "v1",
            "MEDLINE",
            "previous_included",
            "",
            "",
            "include",
            "",
            "include",
            "",
            "Year 2002 outside 2003-2025",
        ),
    ]
    counts = counts_from_ledger(ledger(rows), ["v1", "v2"])
    assert counts["previous_reports_excluded"] == {
        "Excluded at title/abstract": 1,
        "Year 2002 outside 2003-2025": 1,
    }
    assert (counts["total_reports"], counts["total_studies"]) == (0, 0)
    assert counts["database_results"] == 0


def test_earlier_pending_work_makes_the_update_incomplete():
    rows = ROWS + [("v1", "Embase", "pending_screening", "", "", "", "", "", "", "")]
    assert counts_from_ledger(ledger(rows), ["v1", "v2"])["complete"] is False
    assert counts_from_ledger(ledger(ROWS), ["v1", "v2"])["complete"] is True
