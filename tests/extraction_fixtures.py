"""Small ledger / works frames in the contract's shape (issues 3 and 4), for extraction tests."""

import pandas as pd

from reviewflow.screening.ledger import COLUMNS as LEDGER_COLUMNS

WORKS_COLUMNS = (
    "cluster_id,key,primary_record_id,n_records,databases,title,authors,year,journal,volume,issue,pages,"
    "doi,pmid,dois,pmids,source_ids,record_ids"
).split(",")


def work(cluster_id, authors, year, title="A study", **extra):
    row = dict.fromkeys(WORKS_COLUMNS, "")
    row.update(
        cluster_id=cluster_id,
        key=f"rf-{cluster_id:0>10}",
        authors=authors,
        year=year,
        title=title,
        journal="J Test",
        databases="MEDLINE",
        primary_record_id=f"m.ris:{cluster_id}",
    )
    row.update(extra)
    return row


def ledger_row(cluster_id, design, status="included", primary=True, study=""):
    row = dict.fromkeys(LEDGER_COLUMNS, "")
    row.update(
        record_id=f"m.ris:{cluster_id}",
        cluster_id=cluster_id,
        work_key=f"rf-{cluster_id:0>10}",
        is_primary="True" if primary else "False",
        ft_design=design,
        study=study,
        status=status,
    )
    return row


def frames():
    """Two Levy 2004 studies (-> a/b), an RCT, a study with two reports, and rows to ignore."""
    works = pd.DataFrame(
        [
            work(
                "1",
                "Levy, Yair; Sherer, Yaniv",
                "2004",
                "Skin score decrease",
                doi="10.1/levy-a",
                pmid="11",
            ),
            work("2", "Levy, Y", "2004", "Another cohort", pmid="22", databases="Embase; MEDLINE"),
            work("3", "Takehara, Kazuhiko; Ihn, H", "2013", "A randomized trial", doi="10.1/tak"),
            work("4", "Sanges, S", "2017", "French cohort", doi="10.1/sanges"),
            work(
                "5",
                "Sanges, S",
                "2018",
                "French cohort: follow-up",
                doi="10.1/sanges-2",
                databases="Scopus",
            ),
            work("6", "Excluded, E", "2010", "Not included"),
        ]
    )
    ledger = pd.DataFrame(
        [
            ledger_row("1", "Open label study"),
            ledger_row("2", "Retrospective"),
            ledger_row("3", "Double blind RCT"),
            ledger_row("4", "Retrospective", study="Sanges cohort"),
            ledger_row("5", "Retrospective", study="Sanges cohort"),
            ledger_row("6", "Retrospective", status="excluded_full_text"),
            ledger_row("1", "", status="duplicate", primary=False),
        ]
    )
    ledger.loc[6, "record_id"] = "e.ris:1"
    return ledger, works
