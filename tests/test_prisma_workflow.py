"""The prisma and audit rules run under Snakemake and land in its report."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import PurePosixPath

import pytest
from fixtures import REPO
from review_fixture import make_pipeline_review

PER_DB = {"MEDLINE": 6, "Embase": 5}
PLAN = [
    ("excluded_screening", 4, "Off topic", None),
    ("excluded_full_text", 1, "Not in English", None),
    ("included", 2, None, "Alpha 2020"),
]
# Only these rules: the fixture ran the stages before (ledger, counts, dedup tables);
# effective_config writes results/config.yaml, which the rules pass to the CLI.
RULES = ["effective_config", "prisma", "manifest", "verify"]
TARGETS = ["results/audit/verify.txt", "results/prisma/flow_diagram.svg"]


def snakemake(root, *args):
    return subprocess.run(
        ["snakemake", "--cores", "1", *args, "--allowed-rules", *RULES],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_rules_write_the_outputs_and_the_report_shows_them(tmp_path):
    shutil.copy(REPO / "Snakefile", tmp_path)
    shutil.copytree(REPO / "workflow", tmp_path / "workflow")
    make_pipeline_review(tmp_path, PER_DB, PLAN)
    run = snakemake(tmp_path, *TARGETS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "OK" in (tmp_path / "results/audit/verify.txt").read_text()
    manifest = json.loads((tmp_path / "results/audit/manifest.json").read_text())
    assert [e["path"] for e in manifest["inputs"]] == [
        "config/config.yaml"
    ]  # the configfile: Snakemake merged
    assert (
        ">Records screened (n = 7)<" in (tmp_path / "results/prisma/flow_diagram.svg").read_text()
    )
    # A .zip report holds each result it shows as a file, so the test reads them, not the log.
    report = snakemake(tmp_path, *TARGETS, "--report", "report.zip")
    assert report.returncode == 0, report.stderr[-3000:]
    with zipfile.ZipFile(tmp_path / "report.zip") as archive:
        shown = {PurePosixPath(name).name: archive.read(name) for name in archive.namelist()}
    for path in (
        "prisma/flow_diagram.svg",
        "prisma/flow_diagram.html",
        "prisma/PRISMA.csv",
        "prisma/database_overlap.csv",
        "prisma/database_overlap.svg",
        "audit/verify.txt",
    ):
        assert shown.get(PurePosixPath(path).name) == (tmp_path / "results" / path).read_bytes(), (
            path
        )
