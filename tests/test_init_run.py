"""A new user's first run: `reviewflow init DIR FILE...` on real exports, then, from the
repository, `snakemake --cores 2 --directory DIR` runs the review in progress."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from fixtures import REPO

# Three databases' real exports, as a reviewer downloads them (../shared/samples).
SAMPLES = [
    "pubmed_medline/mcda_pubmed.txt",
    "scopus_csv/_baseline_scopus.csv",
    "wos_tagged/wos_plaintext.txt",
]
# Two exports of one search (CiteSource's validation set): the PubMed one names no database.
OVERLAPPING = ["cross_db_citesource_valid/pubmed_46.ris", "wos_ris/WoS_79.ris"]


def run(*args, cwd=REPO):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=900)


def snakemake(review, *args):
    result = run("snakemake", "--cores", "2", "--directory", str(review), *args)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


@pytest.fixture(scope="module")
def review(shared, tmp_path_factory):
    review = tmp_path_factory.mktemp("new") / "my-review"
    files = [str(shared / "samples" / sample) for sample in SAMPLES]
    started = run("reviewflow", "init", str(review), *files, "--date", "2025-03-01")
    assert started.returncode == 0, started.stderr
    assert f"snakemake --cores 2 --directory {review}" in started.stdout
    before = snapshot()
    snakemake(review)
    assert snapshot() == before, "the run wrote into the repository"
    return review


def snapshot():
    """The repository's own run outputs (--directory must leave them alone)."""
    paths = [*(REPO / "results").rglob("*"), REPO / "report.html"]
    return {str(p): p.stat().st_mtime_ns for p in paths if p.exists()}


def read(review, path):
    return pd.read_csv(review / path, dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_every_work_is_pending_title_abstract_screening(review):
    works = read(review, "results/dedup/works.csv")
    pending = read(review, "results/screening/pending.csv")
    assert len(works) > 0
    assert sorted(pending["work_key"]) == sorted(works["key"])
    assert set(pending["stage"]) == {"title_abstract"}


@pytest.mark.slow
def test_the_works_to_screen_are_exported_for_the_screening_tools(review):
    works = read(review, "results/dedup/works.csv")
    ris = (review / "results/screening/to_screen.ris").read_text(encoding="utf-8")
    assert ris.count("\nER  - ") + ris.startswith("ER  - ") == len(works)
    assert len(pd.read_excel(review / "results/screening/to_screen.xlsx")) == len(works)


@pytest.mark.slow
def test_nothing_is_excluded_by_automation(review):
    ledger = read(review, "results/audit/ledger.csv")
    counts = json.loads((review / "results/prisma/counts.json").read_text())
    assert counts["complete"] is False and counts["excluded_automatic"] == 0
    assert (ledger["automation"] == "").all()
    assert set(ledger["status"]) <= {"pending_screening", "duplicate"}
    assert sum(counts["database_specific_results"].values()) == len(ledger)
    assert set(counts["database_specific_results"]) == {"MEDLINE", "Scopus", "Web of Science"}


@pytest.mark.slow
def test_the_diagram_says_incomplete_and_verify_passes_as_in_progress(review):
    assert "Incomplete" in (review / "results/prisma/flow_diagram.svg").read_text(encoding="utf-8")
    verdict = (review / "results/audit/verify.txt").read_text(encoding="utf-8")
    assert "OK" in verdict and "INCOMPLETE" in verdict


@pytest.mark.slow
def test_no_example_table1_and_empty_extraction_workbooks(review):
    assert not (review / "results/extraction/example").exists()
    assert all(
        (review / "results/extraction" / f"{name}.xlsx").is_file()
        for name in ("extraction", "rob2", "robins_i")
    )


@pytest.mark.slow
def test_the_run_reads_the_reviews_config_not_the_repositorys(review):
    assert (
        yaml.safe_load((review / "results/config.yaml").read_text())["review"]["title"]
        == "my-review"
    )
    manifest = json.loads((review / "results/audit/manifest.json").read_text())
    assert [entry["path"] for entry in manifest["inputs"]] == ["config/config.yaml"]


@pytest.mark.slow
def test_the_report_builds_in_the_review(review):
    before = snapshot()
    assert not (review / "report.html").exists()
    snakemake(review, "--report", "report.html")
    assert snapshot() == before
    assert (review / "report.html").stat().st_size > 0


@pytest.mark.slow
def test_an_automation_rule_the_reviewer_sets_then_applies(review, tmp_path):
    review = Path(shutil.copytree(review, tmp_path / "my-review"))
    config_path = review / "config/config.yaml"
    years = pd.to_numeric(
        read(review, "results/audit/ledger.csv")["year"], errors="coerce"
    ).dropna()
    cut = int(years.median())
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["eligibility"]["automation"] = {"years": [cut, 2100]}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    snakemake(review)
    counts = json.loads((review / "results/prisma/counts.json").read_text())
    ledger = read(review, "results/audit/ledger.csv")
    excluded = ledger[ledger["status"] == "excluded_automation"]
    assert counts["excluded_automatic"] == len(excluded) > 0
    assert (pd.to_numeric(excluded["year"]) < cut).all()


@pytest.mark.slow
def test_an_export_naming_no_database_is_named_on_the_command_line(shared, tmp_path):
    review = tmp_path / "citesource"
    files = [str(shared / "samples" / sample) for sample in OVERLAPPING]
    refused = run("reviewflow", "init", str(review), *files)
    assert (
        refused.returncode == 2
        and "--database" in refused.stderr
        and "pubmed_46.ris" in refused.stderr
    )
    started = run("reviewflow", "init", str(review), *files, "--database", f"{files[0]}=MEDLINE")
    assert started.returncode == 0, started.stderr
    snakemake(review)
    counts = json.loads((review / "results/prisma/counts.json").read_text())
    assert counts["database_specific_results"] == {"MEDLINE": 46, "Web of Science": 79}
    assert counts["duplicates"] > 0  # one search in two databases: the copies are found
    assert counts["excluded_automatic"] == 0


@pytest.mark.slow
def test_the_workflows_schema_checks_the_reviews_config(review, tmp_path):
    """The schema path resolves against the Snakefile, the config against --directory: a
    misspelt section in the review's config stops the run."""
    copy = tmp_path / "typo"
    shutil.copytree(review / "config", copy / "config")
    shutil.copytree(review / "raw_exports", copy / "raw_exports")
    with open(copy / "config/config.yaml", "a", encoding="utf-8") as handle:
        handle.write("dedupe: {}\n")
    result = run("snakemake", "--cores", "1", "--dry-run", "--directory", str(copy))
    assert result.returncode != 0
    assert "dedupe" in result.stdout + result.stderr
