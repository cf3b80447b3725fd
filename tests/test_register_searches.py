"""A search of a trial register (`register: ClinicalTrials.gov`) instead of a database:
accepted by the config, carried through ingest, counted under "Registers" in
counts.json, PRISMA.csv and the identification box."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from reviewflow.audit.verify import check_arithmetic
from reviewflow.cli import cli
from reviewflow.config import exports, problems, registers
from reviewflow.prisma.counts import counts_from_ledger
from reviewflow.prisma.layout import box_texts
from reviewflow.prisma.template import prisma_table
from reviewflow.records import read_csv
from reviewflow.screening.ledger import COLUMNS

REPO = Path(__file__).resolve().parent.parent
CTGOV_CSV = "ctgov_modern/ctg-studies__Marc-Morcos_urology.csv"


def config_with(search: dict) -> dict:
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    config = copy.deepcopy(config)
    config["rounds"][0]["searches"].append(search)
    return config


REGISTER_SEARCH = {
    "register": "ClinicalTrials.gov",
    "date": "2024-04-15",
    "exports": ["raw_exports/ctgov.csv"],
}


def test_a_search_may_name_a_register_instead_of_a_database():
    config = config_with(REGISTER_SEARCH)
    assert problems(config, ["config.yaml"]) == []
    assert registers(config["rounds"]) == ["ClinicalTrials.gov"]
    assert exports(config)[-1] == {
        "path": "raw_exports/ctgov.csv",
        "register": "ClinicalTrials.gov",
        "round": config["rounds"][0]["name"],
    }


def test_a_search_naming_both_or_neither_is_a_config_error_naming_it():
    both = config_with(dict(REGISTER_SEARCH, database="CT.gov"))
    neither = config_with({"date": "2024-04-15", "exports": ["raw_exports/ctgov.csv"]})
    n = len(both["rounds"][0]["searches"]) - 1
    [line] = problems(both, ["config.yaml"])
    assert line.startswith(
        f"config.yaml: rounds[0].searches[{n}]: names a database ('CT.gov') and a register"
    )
    [line] = problems(neither, ["config.yaml"])
    assert line.startswith(f"config.yaml: rounds[0].searches[{n}]: names no source")


def test_ingest_records_the_register_as_the_records_source(shared, tmp_path):
    out = tmp_path / "records.csv"
    done = CliRunner().invoke(
        cli,
        [
            "ingest",
            str(shared / "samples" / CTGOV_CSV),
            "--register",
            "ClinicalTrials.gov",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert set(read_csv(out)["source_db"]) == {"ClinicalTrials.gov"}
    both = CliRunner().invoke(
        cli,
        [
            "ingest",
            str(shared / "samples" / CTGOV_CSV),
            "--register",
            "X",
            "--database",
            "Y",
            "--out",
            str(out),
        ],
    )
    assert both.exit_code == 2 and "one search is of one source" in both.output


def _ledger() -> pd.DataFrame:
    rows = [
        ("MEDLINE", "included"),
        ("MEDLINE", "excluded_screening"),
        ("Embase", "duplicate"),
        ("ClinicalTrials.gov", "excluded_screening"),
        ("ClinicalTrials.gov", "duplicate"),
        ("WHO ICTRP", "included"),
    ]
    frame = pd.DataFrame(rows, columns=["source_db", "status"])
    frame["work_key"] = [f"rf-{i}" for i in range(len(frame))]
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def test_register_records_are_counted_apart_from_database_records():
    counts = counts_from_ledger(_ledger(), registers=["ClinicalTrials.gov", "WHO ICTRP"])
    assert (counts["database_results"], counts["register_results"]) == (3, 3)
    assert counts["database_specific_results"] == {"Embase": 1, "MEDLINE": 2}
    assert counts["register_specific_results"] == {"ClinicalTrials.gov": 2, "WHO ICTRP": 1}
    assert check_arithmetic(counts, "counts.json") == []  # identified = databases + registers
    # A review without register searches has no register fields (its outputs are as before).
    assert "register_results" not in counts_from_ledger(_ledger())


def test_prisma_csv_and_the_identification_box_name_the_registers():
    counts = counts_from_ledger(_ledger(), registers=["ClinicalTrials.gov", "WHO ICTRP"])
    n = prisma_table(counts, ["MEDLINE", "Embase"]).set_index("data")["n"]
    assert (n["database_results"], n["register_results"]) == ("3", "3")
    assert n["register_specific_results"] == "ClinicalTrials.gov, 2; WHO ICTRP, 1"
    assert n["database_specific_results"] == "MEDLINE, 2; Embase, 1"
    lines = [text for _, text in box_texts(counts, ["MEDLINE", "Embase"])["database_results"]]
    assert lines == [
        "Records identified from:",
        "Databases (n = 3)",
        "MEDLINE (n = 2)",
        "Embase (n = 1)",
        "Registers (n = 3)",
        "ClinicalTrials.gov (n = 2)",
        "WHO ICTRP (n = 1)",
    ]


@pytest.mark.slow
def test_the_embedded_review_with_a_register_search_runs_counts_and_verifies(shared, tmp_path):
    for part in ("Snakefile", "workflow", "config", "profiles", "raw_exports"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    download = pd.read_csv(shared / "samples" / CTGOV_CSV, dtype=str, keep_default_na=False).head(3)
    download.to_csv(tmp_path / "raw_exports/ctg-studies.csv", index=False)
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    config["rounds"][0]["searches"].append(
        dict(REGISTER_SEARCH, exports=["raw_exports/ctg-studies.csv"])
    )
    (tmp_path / "config/config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    counts = json.loads((tmp_path / "results/prisma/counts.json").read_text(encoding="utf-8"))
    assert (counts["register_results"], counts["register_specific_results"]) == (
        3,
        {"ClinicalTrials.gov": 3},
    )
    assert "ClinicalTrials.gov" not in counts["database_specific_results"]
    prisma = pd.read_csv(
        tmp_path / "results/prisma/PRISMA.csv", dtype=str, keep_default_na=False
    ).set_index("data")
    assert prisma.loc["register_specific_results", "n"] == "ClinicalTrials.gov, 3"
    manifest = json.loads((tmp_path / "results/audit/manifest.json").read_text(encoding="utf-8"))
    assert manifest["exports"][-1]["register"] == "ClinicalTrials.gov"
    assert (
        (tmp_path / "results/audit/verify.txt")
        .read_text(encoding="utf-8")
        .startswith("reviewflow verify: results OK")
    )
