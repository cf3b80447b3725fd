"""An included study's erratum or retraction notice in the search results is flagged
downstream: ledger row, extraction workbook row, HTML diagram list."""

import pandas as pd
from extraction_fixtures import frames
from screening_fixtures import KEYS, clusters, records, rounds, works

from reviewflow.extraction import included_studies
from reviewflow.prisma.html import record_rows
from reviewflow.screening.ledger import ledger_base


def _related(work_key, rows):
    return pd.DataFrame(
        [
            {
                "work_key": work_key,
                "work_record": "x",
                "related_record": record,
                "relation": relation,
                "evidence": "title 97",
            }
            for relation, record in rows
        ]
    )


def test_the_ledger_names_a_works_erratum_and_retraction_on_its_primary_row():
    key = next(iter(KEYS.values()))
    related = _related(
        key,
        [
            ("retraction", "raw/embase.ris:9"),
            ("erratum", "raw/medline.nbib:8"),
            ("comment", "raw/scopus.csv:7"),
        ],
    )
    base = ledger_base(records(), clusters(), works(), rounds(), related)
    rows = base[base["work_key"] == key]
    primary = rows[rows["is_primary"]]
    assert primary["notices"].tolist() == [
        "erratum: raw/medline.nbib:8; retraction: raw/embase.ris:9"
    ]
    assert (rows.loc[~rows["is_primary"], "notices"] == "").all()
    assert (base.loc[base["work_key"] != key, "notices"] == "").all()


def test_the_extraction_row_of_an_included_study_carries_its_notice():
    ledger, works_table = frames()
    ledger["notices"] = ""
    ledger.loc[ledger["cluster_id"] == "3", "notices"] = "erratum: e.ris:4"
    studies = included_studies(ledger, works_table).set_index("Study")
    assert studies.loc["Takehara 2013", "Citation"].endswith(
        "[Notice in the search results: erratum: e.ris:4]"
    )
    assert "Notice" not in studies.loc["Sanges 2017", "Citation"]


def test_the_diagram_list_flags_a_record_with_a_notice():
    ledger, _ = frames()
    ledger["notices"] = ""
    ledger.loc[0, "notices"] = "retraction: e.ris:5"
    for column in (
        "source_db",
        "source_id",
        "doi",
        "pmid",
        "work_key",
        "ta_decision",
        "ft_decision",
        "ta_reason",
        "ft_reason",
        "automation",
        "duplicate_of",
        "title",
        "year",
    ):
        if column not in ledger:
            ledger[column] = ""
    rows = record_rows(ledger)
    assert "[check: retraction: e.ris:5]" in rows[0][0]
    assert not any("[check:" in row[0] for row in rows[1:])
