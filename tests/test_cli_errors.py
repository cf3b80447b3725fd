"""Every command, every input it reads: a missing file or a malformed table is a clear
error naming the file, with exit status 2, never a traceback.

A small review is run through every command once; then each input of each command is
replaced, one at a time, by a file that does not exist and by a table of the wrong shape.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import fixtures
import pytest
import yaml
from click.testing import CliRunner
from fixtures import REPO

from reviewflow.cli import cli

EXCHANGE = fixtures.DATA / "exchange"

MEDLINE = "".join(
    f"PMID- {pmid}\nTI  - Intravenous immunoglobulin in systemic sclerosis, report {pmid}.\n"
    f"FAU - Levy, Yair\nDP  - {year} Jan\nJT  - Journal of "
    f"Tests\nLA  - eng\nSO  - J Test. {year};1:1-2.\n\n"
    for pmid, year in ((1001, 2010), (1002, 2012), (1003, 2015))
)
EMBASE = "".join(
    f"TY  - JOUR\nID  - L{n}\nTI  - Intravenous immunoglobulin in "
    f"systemic sclerosis, report {pmid}\n"
    f"AU  - Levy, Yair\nPY  - {year}\nT2  - Journal of Tests\nLA  - English\nER  - \n\n"
    for n, (pmid, year) in enumerate(((1001, 2010), (1004, 2016)), start=1)
)
TA_HEADER = ",".join(fixtures.TA_HEADER) + "\n"
FT_HEADER = ",".join(fixtures.FT_HEADER) + "\n"


@contextlib.contextmanager
def inside(directory: Path):
    before = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# Each command with its inputs; {name} placeholders are the review's files.
COMMANDS = {
    "ingest": ["ingest", "{medline}", "--out", "out/records.csv"],
    "dedup": [
        "dedup",
        "{records_medline}",
        "{records_embase}",
        "--overrides",
        "{overrides}",
        "--out",
        "out/dedup",
    ],
    "screen": [
        "screen",
        "{records_medline}",
        "{records_embase}",
        "--clusters",
        "{clusters}",
        "--works",
        "{works}",
        "--pairs",
        "{pairs}",
        "--config",
        "{config}",
        "--out",
        "out/screen",
    ],
    "counts": [
        "counts",
        "--ledger",
        "{ledger}",
        "--config",
        "{config}",
        "--out",
        "out/counts.json",
    ],
    "prisma": [
        "prisma",
        "--ledger",
        "{ledger}",
        "--counts",
        "{counts}",
        "--config",
        "{config}",
        "--out",
        "out/prisma",
    ],
    "manifest": ["manifest", "--config", "{config}", "--out", "out/manifest.json"],
    "verify": ["verify", "{results}", "--allow-incomplete"],
    "export-screening": [
        "export-screening",
        "--works",
        "{works}",
        "--pending",
        "{pending}",
        "--records",
        "{records_medline}",
        "--format",
        "ris",
        "--out",
        "out/to_screen.ris",
    ],
    "import-decisions": [
        "import-decisions",
        "{rayyan}",
        "--tool",
        "rayyan",
        "--stage",
        "title_abstract",
        "--works",
        "{rayyan_works}",
        "--out",
        "out/ta.csv",
        "--config",
        "{config}",
    ],
    "extraction write": [
        "extraction",
        "write",
        "--ledger",
        "{ledger}",
        "--works",
        "{works}",
        "--config",
        "{extraction_config}",
        "--out",
        "out/extraction",
    ],
    "extraction read": [
        "extraction",
        "read",
        "{example}",
        "--config",
        "{extraction_config}",
        "--out",
        "out/table1",
    ],
}


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> dict:
    """A review run through ingest, dedup, screen, prisma, manifest: {placeholder: path}."""
    root = tmp_path_factory.mktemp("review")
    (root / "raw").mkdir()
    (root / "raw/medline.nbib").write_text(MEDLINE)
    (root / "raw/embase.ris").write_text(EMBASE)
    (root / "ta.csv").write_text(TA_HEADER)
    (root / "ft.csv").write_text(FT_HEADER)
    (root / "overrides.csv").write_text("id_a,id_b,decision,reviewer,note\n")
    shipped = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config = {
        "review": {"title": "t"},
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "rounds": [
            {
                "name": "original",
                "searches": [
                    {"database": "MEDLINE", "date": "2024-04-15", "exports": ["raw/medline.nbib"]},
                    {"database": "Embase", "date": "2024-04-15", "exports": ["raw/embase.ris"]},
                ],
            }
        ],
        "eligibility": {
            "automation": {"years": [2003, 2024]},
            "full_text": shipped["eligibility"]["full_text"],
        },
        "extraction": shipped["extraction"]
        | {"example": str(REPO / shipped["extraction"]["example"])},
    }
    (root / "config.yaml").write_text(yaml.safe_dump(config))
    (root / "extraction.yaml").write_text(yaml.safe_dump({"extraction": config["extraction"]}))
    files = {
        "medline": "raw/medline.nbib",
        "records_medline": "results/records/raw/medline.nbib.csv",
        "records_embase": "results/records/raw/embase.ris.csv",
        "overrides": "overrides.csv",
        "clusters": "results/dedup/clusters.csv",
        "works": "results/dedup/works.csv",
        "pairs": "results/dedup/pairs.csv",
        "config": "config.yaml",
        "ledger": "results/audit/ledger.csv",
        "counts": "results/prisma/counts.json",
        "results": "results",
        "pending": "results/screening/pending.csv",
        "rayyan": str(EXCHANGE / "rayyan_articles.ris"),
        "rayyan_works": str(EXCHANGE / "works.csv"),
        "extraction_config": "extraction.yaml",
        "example": str(REPO / shipped["extraction"]["example"]),
    }
    with inside(root):
        steps = [
            [
                "ingest",
                "raw/medline.nbib",
                "--database",
                "MEDLINE",
                "--out",
                files["records_medline"],
            ],
            ["ingest", "raw/embase.ris", "--database", "Embase", "--out", files["records_embase"]],
            ["dedup", files["records_medline"], files["records_embase"], "--out", "results/dedup"],
            [
                "screen",
                files["records_medline"],
                files["records_embase"],
                "--clusters",
                files["clusters"],
                "--works",
                files["works"],
                "--pairs",
                files["pairs"],
                "--config",
                "config.yaml",
                "--out",
                "results",
            ],
            [
                "counts",
                "--ledger",
                files["ledger"],
                "--config",
                "config.yaml",
                "--out",
                files["counts"],
            ],
            [
                "prisma",
                "--ledger",
                files["ledger"],
                "--counts",
                files["counts"],
                "--config",
                "config.yaml",
                "--out",
                "results/prisma",
            ],
            ["manifest", "--config", "config.yaml", "--out", "results/audit/manifest.json"],
        ]
        for step in steps:
            Path(step[step.index("--out") + 1]).parent.mkdir(parents=True, exist_ok=True)
            result = run(*step)
            assert result.exit_code == 0, (step, result.output)
    return {"root": root, **files}


def _args(command: str, files: dict) -> list[str]:
    return [arg.format(**files) for arg in COMMANDS[command]]


def _inputs(command: str) -> list[str]:
    return [arg[1:-1] for arg in COMMANDS[command] if arg.startswith("{")]


CASES = [(command, name) for command in COMMANDS for name in _inputs(command)]


def _copy(review: dict, tmp_path: Path) -> dict:
    """A fresh copy of the review, so that a case may break its files."""
    root = tmp_path / "review"
    shutil.copytree(review["root"], root)
    return {**review, "root": root}


@pytest.mark.parametrize(
    "command", [pytest.param(c, marks=pytest.mark.slow) if c == "verify" else c for c in COMMANDS]
)
def test_every_command_runs_on_the_review(review, tmp_path, command):
    review = _copy(review, tmp_path)
    with inside(review["root"]):
        result = run(*_args(command, review))
    assert result.exit_code == 0, result.output


def _expect_clear_error(result, named: str):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and named in result.output, result.output


@pytest.mark.parametrize("command, name", CASES)
def test_a_missing_input_is_named_with_exit_2(review, tmp_path, command, name):
    review = _copy(review, tmp_path)
    missing = "nowhere/missing.csv"
    with inside(review["root"]):
        result = run(*_args(command, review | {name: missing}))
    _expect_clear_error(result, missing)


MALFORMED = {
    ".csv": "colour,size\nred,3\n",  # a table, but not the one asked for
    ".json": '{"identified": ',  # cut short
    ".yaml": "review: {title: [unclosed\n",
    ".nbib": "colour,size\nred,3\n",
    ".ris": "colour,size\nred,3\n",
}


@pytest.mark.parametrize("command, name", CASES)
def test_a_malformed_input_is_named_with_exit_2(review, tmp_path, command, name):
    review = _copy(review, tmp_path)
    path = Path(review[name])
    if name == "results":  # the results directory: its ledger is the table verify reads first
        path = path / "audit/ledger.csv"
    target = path if path.is_absolute() else review["root"] / path
    broken = review["root"] / "broken" / target.name
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text(MALFORMED[target.suffix])
    if name == "results":
        target.write_text(MALFORMED[".csv"])
        files, named = review, "ledger.csv"
    else:
        files, named = review | {name: str(broken)}, str(broken)
    with inside(review["root"]):
        result = run(*_args(command, files))
    _expect_clear_error(result, named)


RECORD_TABLES = [(command, name) for command, name in CASES if name.startswith("records_")]


@pytest.mark.parametrize("command, name", RECORD_TABLES)
def test_a_records_table_missing_a_column_is_named_with_exit_2(review, tmp_path, command, name):
    review = _copy(review, tmp_path)
    table = review["root"] / review[name]
    lines = table.read_text().split("\n")
    header = lines[0].split(",")
    assert "journal" in header
    # A records table with its journal column deleted (dedup used to end in KeyError 'journal').
    at = header.index("journal")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(table.read_text())))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([row[:at] + row[at + 1 :] for row in rows])
    table.write_text(buffer.getvalue())
    with inside(review["root"]):
        result = run(*_args(command, review))
    _expect_clear_error(result, review[name])
    assert "journal" in result.output


# (A counts.json of other numbers is no input error: verify names each count that differs, exit 1.)
@pytest.mark.parametrize(
    "inner, broken",
    [
        ("audit/manifest.json", "cut short"),
        ("prisma/counts.json", "cut short"),
        ("audit/ledger.csv", "cut short"),
        ("audit/manifest.json", "another table"),
        ("audit/ledger.csv", "another table"),
    ],
)
def test_verify_names_a_broken_results_file_with_exit_2(review, tmp_path, inner, broken):
    review = _copy(review, tmp_path)
    target = review["root"] / "results" / inner
    target.write_text(
        MALFORMED[target.suffix]
        if broken == "cut short"
        else '{"colour": "red"}\n'
        if target.suffix == ".json"
        else "colour,size\nred,3\n"
    )
    with inside(review["root"]):
        result = run(*_args("verify", review))
    _expect_clear_error(result, target.name)


@pytest.mark.parametrize("decisions", ["ta.csv", "ft.csv"])
@pytest.mark.parametrize("broken", ["missing", "another table"])
def test_screen_names_a_broken_decision_file_with_exit_2(review, tmp_path, decisions, broken):
    review = _copy(review, tmp_path)
    target = review["root"] / decisions
    if broken == "missing":
        target.unlink()
    else:
        target.write_text(MALFORMED[".csv"])
    with inside(review["root"]):
        result = run(*_args("screen", review))
    _expect_clear_error(result, decisions)
