"""Decisions read straight from a screening tool's export (config screening_tools: imports).

The small fixture review is screened twice: once with a title_abstract.csv,
once with the same decisions cast in Rayyan and exported as Rayyan writes its
RIS. Both must give the same ledger; a tool decision that contradicts the
decision file is the same error two contradicting file rows are.
"""

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from screening_fixtures import ft_row, write_review

from reviewflow.cli import cli

# (title, year, DOI, Rayyan notes) per work, as Rayyan exports it: its own AN,
# Y1 for the year, the votes in N1 after a leading space, reasons as a section.
RAYYAN = [
    (
        "Work c1 in MEDLINE",
        2010,
        "10.1000/a",
        'RAYYAN-INCLUSION: {"SK"=>"Included"} | RAYYAN-LABELS: RCT',
    ),
    (
        "Work c2 in Embase",
        2012,
        "",
        'RAYYAN-INCLUSION: {"SK"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: wrong drug',
    ),
    (
        "Work c5 in Embase",
        2016,
        "https://doi.org/10.1000/E",
        'RAYYAN-INCLUSION: {"SK"=>"Included"}',
    ),
    ("Work c6 in Scopus", 2018, "10.1000/f", "RAYYAN-LABELS: later"),  # nobody screened it yet
]
CSV_ROWS = [
    ["10.1000/a", "include", "", "SK"],
    ["rf-b", "exclude", "wrong drug", "SK"],
    ["L003", "include", "", "SK"],
]
FT_ROWS = [ft_row("111"), ft_row("rf-e", participants="3")]


def rayyan_ris(path) -> str:
    entries = []
    for number, (title, year, doi, notes) in enumerate(RAYYAN, start=1):
        lines = (
            [
                "TY  - JOUR",
                f"AN  - rayyan-{352110400 + number}",
                f"TI  - {title}",
                f"Y1  - {year}",
                "T2  - J Test",
                "AU  - Levy, Y",
            ]
            + ([f"DO  - {doi}"] if doi else [])
            + [f"N1  -  {notes}", "ER  -"]
        )
        entries.append("\n".join(lines))
    path.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return str(path)


def screen(paths, imports=None):
    if imports is not None:
        config = yaml.safe_load(open(paths["config"]))
        config["screening_tools"] = {"imports": imports}
        with open(paths["config"], "w") as handle:
            yaml.safe_dump(config, handle)
    return CliRunner().invoke(
        cli,
        [
            "screen",
            *paths["records"],
            "--clusters",
            paths["clusters"],
            "--works",
            paths["works"],
            "--config",
            paths["config"],
            "--out",
            paths["out"],
        ],
    )


def test_rayyan_export_in_config_gives_the_ledger_of_the_decision_file(tmp_path):
    by_file = write_review(tmp_path / "file", CSV_ROWS, FT_ROWS)
    assert screen(by_file).exit_code == 0
    by_tool = write_review(tmp_path / "tool", [], FT_ROWS)
    export = rayyan_ris(tmp_path / "rayyan_articles.ris")
    result = screen(by_tool, [{"file": export, "tool": "rayyan", "stage": "title_abstract"}])
    assert result.exit_code == 0, result.output
    ledgers = [
        pd.read_csv(f"{p['out']}/audit/ledger.csv", dtype=str, keep_default_na=False)
        for p in (by_file, by_tool)
    ]
    pd.testing.assert_frame_equal(*ledgers)
    statuses = (
        ledgers[1]
        .set_index("work_key")
        .loc[lambda f: f["status"] != "duplicate", "status"]
        .to_dict()
    )
    assert statuses == {
        "rf-a": "included",
        "rf-b": "excluded_screening",
        "rf-c": "excluded_automation",
        "rf-d": "excluded_automation",
        "rf-e": "excluded_full_text",
        "rf-f": "pending_screening",
    }


def test_a_tool_decision_contradicting_the_file_is_an_error(tmp_path):
    paths = write_review(tmp_path, [["rf-b", "include", "", "AB"]], [])
    result = screen(
        paths,
        [
            {
                "file": rayyan_ris(tmp_path / "rayyan.ris"),
                "tool": "rayyan",
                "stage": "title_abstract",
            }
        ],
    )
    assert result.exit_code == 2
    assert (
        "members of one work decided differently" in result.output
        or "decided twice" in result.output
    )
    assert "screening_tools title_abstract import row" in result.output


@pytest.mark.parametrize("round_name, ok", [("original", True), ("no-such-round", False)])
def test_an_import_names_a_known_round(tmp_path, round_name, ok):
    paths = write_review(tmp_path, [], [])
    result = screen(
        paths,
        [
            {
                "file": rayyan_ris(tmp_path / "rayyan.ris"),
                "tool": "rayyan",
                "stage": "title_abstract",
                "round": round_name,
            }
        ],
    )
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert "unknown round(s) no-such-round" in result.output
