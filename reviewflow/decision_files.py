"""The columns of the reviewers' decision files (contract 3), in the order they are written.

Screening reads these files; the screening-tool exchange writes them (its imports)
and opens its spreadsheet export with the title/abstract columns; ``init`` writes
their headers. The exchange sits below screening, so the columns live below both.
"""

TITLE_ABSTRACT_COLUMNS = ("id", "decision", "reason", "reviewer")
FULL_TEXT_COLUMNS = (
    "id",
    "retrieved",
    "language",
    "participants",
    "adults_only",
    "outcome_reported",
    "design",
    "study",
    "override",
    "override_reason",
    "reviewer",
)
# Columns of a full-text decision file that are not facts a rule may test.
FRAME_COLUMNS = ("id", "retrieved", "study", "override", "override_reason", "reviewer")
# The facts every full-text decision file has columns for; a rule may also test a
# fact of the review's own, a column the reviewer adds to that file.
FACTS = tuple(column for column in FULL_TEXT_COLUMNS if column not in FRAME_COLUMNS)
