"""Works still waiting for a decision, as CSV and as RIS for a screening tool.

The RIS carries the work key as its ID, so a decision made in the tool can name
the work directly in config/screening/*.csv.
"""

from __future__ import annotations

import pandas as pd
import rispy

from reviewflow.safe import safe_frame
from reviewflow.screening.ledger import COLUMNS as LEDGER_COLUMNS

STAGES = {"pending_screening": "title_abstract", "pending_full_text": "full_text"}
COLUMNS = ["stage", "waiting_for", "work_key", "cluster_id", "record_id", "source_db", "source_id",
           "title", "year", "doi", "pmid"]
_RIS_TYPES = {"conference abstract": "ABST", "conference paper": "CPAPER", "book": "BOOK",
              "book chapter": "CHAP", "thesis": "THES"}


def pending(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per work waiting for a title/abstract decision or full-text facts."""
    rows = ledger.loc[ledger["status"].isin(list(STAGES)), LEDGER_COLUMNS].copy()
    rows["stage"] = rows["status"].map(STAGES)
    rows["waiting_for"] = rows["ft_reason"].where(rows["stage"] == "full_text", "Title/abstract decision")
    return rows[COLUMNS].reset_index(drop=True)


def write_csv(table: pd.DataFrame, path) -> None:
    safe_frame(table).to_csv(path, index=False, lineterminator="\n")


def to_ris(table: pd.DataFrame, records: pd.DataFrame) -> str:
    """The pending works' primary records as RIS text (ID = work key)."""
    full = records.set_index("record_id")
    entries = []
    for row in table.itertuples(index=False):
        rec = full.loc[row.record_id]
        entry = {
            "type_of_reference": _RIS_TYPES.get(rec["publication_type"], "JOUR"),
            "id": row.work_key,
            "title": rec["title"],
            "authors": list(rec["authors"]),
            "year": "" if pd.isna(rec["year"]) else str(int(rec["year"])),
            "secondary_title": rec["journal"],
            "volume": rec["volume"],
            "number": rec["issue"],
            "start_page": rec["page_start"],
            "end_page": rec["page_end"],
            "doi": rec["doi"],
            "accession_number": rec["source_id"],
            "name_of_database": rec["source_db"],
            "language": rec["language"],
            "abstract": rec["abstract"],
            "keywords": list(rec["keywords"]),
            "notes": [f"reviewflow {row.stage}: waiting for {row.waiting_for}; record {row.record_id}"
                      + (f"; PMID {rec['pmid']}" if rec["pmid"] else "")],
        }
        entries.append({k: v for k, v in entry.items() if v not in ("", [])})
    return rispy.dumps(entries) if entries else ""
