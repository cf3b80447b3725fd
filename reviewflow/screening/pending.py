"""Works still waiting for a decision, as CSV and as RIS for a screening tool.

The RIS is the screening-tool export of reviewflow.exchange: it carries the work
key as its ID, so a decision made in the tool can name the work directly.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.contracts import PENDING
from reviewflow.exchange import export
from reviewflow.safe import safe_frame
from reviewflow.screening.ledger import COLUMNS as LEDGER_COLUMNS

STAGES = {"pending_screening": "title_abstract", "pending_full_text": "full_text"}
COLUMNS = PENDING.names


def pending(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per work waiting for a title/abstract decision or full-text facts."""
    rows = ledger.loc[ledger["status"].isin(list(STAGES)), LEDGER_COLUMNS].copy()
    rows["stage"] = rows["status"].map(STAGES)
    rows["waiting_for"] = rows["ft_reason"].where(
        rows["stage"] == "full_text", "Title/abstract decision"
    )
    return rows[COLUMNS].reset_index(drop=True)


def write_csv(table: pd.DataFrame, path) -> None:
    safe_frame(table).to_csv(path, index=False, lineterminator="\n")


def to_ris(table: pd.DataFrame, works: pd.DataFrame, records: pd.DataFrame) -> str:
    """The pending works as RIS for a screening tool, keyed by their work keys."""
    waiting = works[works["key"].isin(set(table["work_key"]))]
    return export.to_ris(export.add_abstracts(waiting, records))
