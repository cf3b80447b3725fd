"""Extraction reads the ledger the screening stage really writes (not only our fixture frames)."""

import pandas as pd
import screening_fixtures as sf
from click.testing import CliRunner
from openpyxl import load_workbook

from reviewflow.cli import cli
from reviewflow.extraction.studies import WORKS_NEEDS


def test_workbooks_from_a_screened_ledger(tmp_path):
    paths = sf.write_review(
        tmp_path,
        [
            ["rf-a", "include", "", "SK"],
            ["rf-b", "include", "", "SK"],
            ["rf-e", "include", "", "SK"],
            ["rf-f", "exclude", "Off topic", "SK"],
        ],
        [
            sf.ft_row("rf-a", design="Double blind RCT"),
            sf.ft_row("rf-b", design="Retrospective study"),
            sf.ft_row("rf-e", design="Review"),
        ],
    )
    # The contract's full works table (the screening fixture only needs cluster_id and key).
    works = pd.read_csv(paths["works"], dtype=str, keep_default_na=False)
    for column in WORKS_NEEDS:
        if column not in works:
            works[column] = ""
    works["authors"] = [
        "Levy, Yair; Amital, H",
        "Levy, Y",
        "Old, O",
        "Other, O",
        "Review, R",
        "Last, L",
    ]
    works["year"] = ["2010", "2010", "1999", "2015", "2016", "2018"]
    works["title"] = "A title"
    works.to_csv(paths["works"], index=False)
    runner = CliRunner()
    result = runner.invoke(
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
    assert result.exit_code == 0, result.output
    ledger = f"{paths['out']}/audit/ledger.csv"
    result = runner.invoke(
        cli,
        [
            "extraction",
            "write",
            "--ledger",
            ledger,
            "--works",
            paths["works"],
            "--out",
            str(tmp_path / "extraction"),
        ],
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "extraction" / "extraction.xlsx")["Extraction"]
    rows = [r[:8] for r in ws.iter_rows(min_row=2, values_only=True)]
    # The year is the latest the work's records give (the fixture's records say 2010 and 2012,
    # whatever works.csv was made to say).
    assert [(r[0], r[5], r[6], r[7]) for r in rows] == [
        ("Levy 2010", "rf-a", "Double blind RCT", "Double Blind RCT"),
        ("Levy 2012", "rf-b", "Retrospective study", "Retrospective Study"),
    ]
    rob2 = load_workbook(tmp_path / "extraction" / "rob2.xlsx")["RoB2"]
    assert [r[0] for r in rob2.iter_rows(min_row=2, values_only=True)] == ["Levy 2010"]
