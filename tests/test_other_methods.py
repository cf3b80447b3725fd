"""Searches by other methods (`method: citation searching`): PRISMA 2020's second column.

Their records are counted apart from the databases' and registers' (identified per
method, reports sought, not retrieved, assessed, excluded), a work both sides found is
the databases' (the other method's record its duplicate), and the diagram, PRISMA.csv and
verify's arithmetic carry the column."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from fixtures import REPO, records_frame

from reviewflow.audit.verify import check_arithmetic, pending_counts
from reviewflow.cli import cli
from reviewflow.config import METHODS, SCHEMA, methods, other_method_files, problems
from reviewflow.contracts import COUNTS, ONLY_UPDATES
from reviewflow.dedup import deduplicate
from reviewflow.ingest import read_export
from reviewflow.prisma.boxes import box_rows
from reviewflow.prisma.counts import counts_from_ledger
from reviewflow.prisma.layout import box_texts, flow_layout
from reviewflow.prisma.template import prisma_table
from reviewflow.screening.ledger import COLUMNS

EXAMPLE = REPO / "config" / "other-methods-example.yaml"
GENERATOR = REPO / "raw_exports" / "generate_other_methods.py"
CITATIONS = REPO / "raw_exports" / "other_methods" / "citation_searching.ris"
CITATION_SEARCH = {
    "method": "citation searching",
    "date": "2024-05-20",
    "exports": ["raw_exports/other_methods/citation_searching.ris"],
}


def _config(*extra: dict) -> dict:
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    config["rounds"][0]["searches"] += list(extra)
    return config


def test_a_search_may_be_an_other_method():
    config = _config(CITATION_SEARCH)
    assert problems(config, ["config.yaml"]) == []
    assert methods(config["rounds"]) == ["citation searching"]
    assert other_method_files(config) == {"raw_exports/other_methods/citation_searching.ris"}


def test_an_unknown_method_or_a_search_of_two_kinds_is_a_config_error():
    unknown = problems(_config(dict(CITATION_SEARCH, method="snowballing")), ["config.yaml"])
    assert len(unknown) == 1 and "snowballing" in unknown[0]
    both = problems(_config(dict(CITATION_SEARCH, database="MEDLINE")), ["config.yaml"])
    assert any("one search is of one source" in line for line in both)


def test_every_method_the_schema_allows_has_a_template_field():
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    search = schema["properties"]["rounds"]["items"]["properties"]["searches"]["items"]
    assert set(search["properties"]["method"]["enum"]) == set(METHODS)
    assert set(METHODS.values()) == {"website_results", "organisation_results", "citations_results"}


def test_ingest_records_the_method_as_the_records_source(tmp_path):
    out = tmp_path / "citations.csv"
    done = CliRunner().invoke(
        cli, ["ingest", str(CITATIONS), "--method", "citation searching", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    records = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(records["source_db"]) == {"citation searching"}
    # Placeholders and attachments are records too: every one is counted.
    assert len(records) == CITATIONS.read_text(encoding="utf-8-sig").count("\nER  -")


def _record(record_id: str, source_file: str, **fields) -> dict:
    return {
        "record_id": record_id,
        "source_file": source_file,
        "source_index": 1,
        "source_db": source_file,
        "source_id": record_id,
        "authors": ["Levy, Y", "Amital, H"],
        "year": 2004,
        **fields,
    }


def test_a_work_found_by_a_database_and_citation_searching_is_the_databases():
    title = "Intravenous immunoglobulin modulates cutaneous involvement in systemic sclerosis"
    records = records_frame(
        [
            # The cited copy is the fuller record (it has an abstract), yet not the primary.
            _record("a1", "cited.ris", title=title, journal="Arthritis Rheum", abstract="x" * 50),
            _record("b1", "embase.ris", title=title, journal="Arthritis Rheum"),
        ]
    )
    for others, primary in (((), "a1"), (("cited.ris",), "b1")):
        clusters = deduplicate(records, other_method_files=others).clusters
        assert clusters["cluster_id"].nunique() == 1
        assert clusters.loc[clusters["is_primary"], "record_id"].tolist() == [primary]


def _ledger() -> pd.DataFrame:
    rows = [
        ("MEDLINE", "included", ""),
        ("MEDLINE", "excluded_full_text", "Not a primary clinical study"),
        ("Embase", "duplicate", ""),
        ("citation searching", "duplicate", ""),  # a copy of the MEDLINE work
        ("citation searching", "excluded_screening", ""),
        ("citation searching", "excluded_automation", ""),
        ("citation searching", "not_retrieved", "Not retrieved"),
        ("citation searching", "excluded_full_text", "Review"),
        ("citation searching", "included", ""),
        ("websites", "included", ""),
        ("hand-searching", "excluded_screening", ""),
    ]
    frame = pd.DataFrame(rows, columns=["source_db", "status", "ft_reason"])
    frame["work_key"] = [f"rf-{i}" for i in range(len(frame))]
    frame["round"] = "original"
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


OTHERS = ["citation searching", "websites", "hand-searching"]


def test_other_methods_records_are_counted_in_their_own_column():
    counts = counts_from_ledger(_ledger(), methods=OTHERS)
    assert counts["database_results"] == 3 and counts["duplicates"] == 1
    assert (counts["dbr_assessed"], counts["dbr_excluded"]) == (
        2,
        {"Not a primary clinical study": 1},
    )
    assert counts["other_specific_results"] == {
        "citation searching": 6,
        "websites": 1,
        "hand-searching": 1,
    }
    # Hand-searching is counted in the template's citation-searching box.
    assert (counts["citations_results"], counts["website_results"]) == (7, 1)
    assert counts["organisation_results"] == 0
    assert (counts["other_duplicates"], counts["other_not_sought"]) == (1, 3)
    assert (counts["other_sought_reports"], counts["other_notretrieved_reports"]) == (4, 1)
    assert (counts["other_assessed"], counts["other_excluded"]) == (3, {"Review": 1})
    assert (counts["new_studies"], counts["new_reports"]) == (3, 3)  # both columns' included
    assert check_arithmetic(counts, "counts.json") == []
    # A review without other methods has none of these fields.
    assert "other_assessed" not in counts_from_ledger(_ledger().iloc[:3])


def test_verify_arithmetic_checks_the_other_methods_column():
    counts = counts_from_ledger(_ledger(), methods=OTHERS)
    broken = check_arithmetic(dict(counts, other_sought_reports=5), "counts.json")
    assert any("other methods' records identified" in line for line in broken)
    broken = check_arithmetic(dict(counts, citations_results=6), "counts.json")
    assert any("citations_results" in line for line in broken)


def test_a_cited_record_awaiting_screening_is_pending_in_its_own_column():
    ledger = _ledger()
    ledger.loc[4, "status"] = "pending_screening"
    counts = counts_from_ledger(ledger, methods=OTHERS)
    assert not counts["complete"]
    pending = pending_counts(ledger, ["original"], OTHERS)
    assert pending == {"other_pending_screening": 1}
    assert check_arithmetic(counts, "counts.json", pending) == []


def test_each_other_methods_box_lists_as_many_records_as_its_number():
    ledger = _ledger()
    counts = counts_from_ledger(ledger, methods=OTHERS)
    rows = box_rows(ledger, ["original"], OTHERS)
    assert len(rows["website_results"]) == sum(counts["other_specific_results"].values())
    for key in ("other_sought_reports", "other_notretrieved_reports", "other_assessed"):
        assert len(rows[key]) == counts[key]
    assert len(rows["other_excluded"]) == sum(counts["other_excluded"].values())
    assert len(rows["database_results"]) == counts["database_results"]


def test_the_diagram_draws_the_other_methods_column_beside_the_first():
    counts = counts_from_ledger(_ledger(), methods=OTHERS)
    texts = box_texts(counts, ["MEDLINE", "Embase"])
    assert [text for _, text in texts["website_results"]] == [
        "Records identified from:",
        "Citation searching (n = 6)",
        "Websites (n = 1)",
        "Hand-searching (n = 1)",
    ]
    layout = flow_layout(counts, ["MEDLINE", "Embase"])
    box = {b.key: b for b in layout.boxes}
    assert box["other_header"].lines[0][1] == "Identification of studies via other methods"
    assert box["website_results"].x > box["duplicates"].x + box["duplicates"].w
    assert box["other_sought_reports"].y == box["dbr_sought_reports"].y
    # The other column's assessed reports lead to the included studies.
    included = box["new_studies"]
    ends = [end for _, end in layout.arrows]
    assert (included.x + included.w, included.y + included.h / 2) in ends
    plain = flow_layout(counts_from_ledger(_ledger().iloc[:3]), ["MEDLINE", "Embase"])
    assert "website_results" not in {b.key for b in plain.boxes} and plain.lines == ()


def test_prisma_csv_fills_the_other_methods_rows_and_names_what_a_box_counts():
    counts = counts_from_ledger(_ledger(), methods=OTHERS)
    table = prisma_table(counts, ["MEDLINE", "Embase"]).set_index("data")
    assert table.loc["citations_results", "n"] == "7"
    assert table.loc["website_results", "n"] == "1"
    assert table.loc["other_sought_reports", "n"] == "4"
    assert table.loc["other_assessed", "n"] == "3"
    assert table.loc["other_excluded", "n"] == "Review, 1"
    assert table.loc["citations_results", "boxtext"] == "Citation searching and hand-searching"
    assert table.loc["organisation_results", "boxtext"] == "Organisations"


@pytest.mark.slow
def test_regeneration_is_byte_identical(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True
    )
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (REPO / rel).read_bytes(), rel


def test_every_record_of_the_examples_register_and_citation_files_is_read():
    config = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    sizes = {}
    for search in config["rounds"][0]["searches"]:
        if "database" in search:
            continue
        (path,) = search["exports"]
        sizes[path] = len(read_export(REPO / path))
    text = CITATIONS.read_text(encoding="utf-8-sig")
    assert sizes["raw_exports/other_methods/citation_searching.ris"] == text.count("\nER  -")
    ctgov = (REPO / "raw_exports/other_methods/clinicaltrials_gov.csv").read_text(encoding="utf-8")
    assert sizes["raw_exports/other_methods/clinicaltrials_gov.csv"] == len(
        re.findall(r"^NCT\d{8},", ctgov, re.M)
    )
    ictrp = (REPO / "raw_exports/other_methods/ictrp.xml").read_text(encoding="utf-8")
    assert sizes["raw_exports/other_methods/ictrp.xml"] == ictrp.count("<Trial>")


@pytest.mark.slow
def test_the_other_methods_example_runs_counts_and_verifies(tmp_path):
    for part in ("Snakefile", "workflow", "config", "profiles", "raw_exports"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "2",
            "-q",
            "--configfile",
            "config/other-methods-example.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = tmp_path / "results"
    counts = json.loads((results / "prisma/counts.json").read_text(encoding="utf-8"))
    ledger = pd.read_csv(results / "audit/ledger.csv", dtype=str, keep_default_na=False)
    # Every key of the contract but an update's.
    assert sorted(counts) == sorted(
        c.name for c in COUNTS.columns if not c.meaning.endswith(ONLY_UPDATES)
    )
    cited = ledger[ledger["source_db"] == "citation searching"]
    assert counts["citations_results"] == len(cited)
    # Every cited copy of a work the databases found is a duplicate of a database record.
    copies = cited[cited["status"] == "duplicate"]
    assert len(copies) == counts["other_duplicates"] > 0
    primary_db = ledger.set_index("record_id")["source_db"]
    assert set(primary_db[copies["duplicate_of"]]) <= {
        "MEDLINE",
        "Embase",
        "Cochrane CENTRAL",
        "Web of Science",
        "Scopus",
    }
    # The ICTRP copy of a ClinicalTrials.gov registration is one trial.
    ictrp = ledger[ledger["source_db"] == "WHO ICTRP"].set_index("source_id")
    ctgov = ledger[ledger["source_db"] == "ClinicalTrials.gov"].set_index("source_id")
    shared = sorted(set(ictrp.index) & set(ctgov.index))
    assert shared and all(ictrp.loc[i, "cluster_id"] == ctgov.loc[i, "cluster_id"] for i in shared)
    prisma = pd.read_csv(results / "prisma/PRISMA.csv", dtype=str, keep_default_na=False)
    n = prisma.set_index("data")["n"]
    for key in ("citations_results", "other_sought_reports", "other_assessed", "new_studies"):
        assert n[key] == str(counts[key])
    svg = (results / "prisma/flow_diagram.svg").read_text(encoding="utf-8")
    assert "Identification of studies via other methods" in svg
    assert (
        (results / "audit/verify.txt")
        .read_text(encoding="utf-8")
        .startswith("reviewflow verify: results OK")
    )
