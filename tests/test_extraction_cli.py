import pandas as pd
from click.testing import CliRunner
from extraction_fixtures import frames
from fixtures import REPO
from openpyxl import load_workbook

from reviewflow.cli import cli

CONFIG = str(REPO / "config" / "config.yaml")


def write(tmp_path, ledger=None):
    if ledger is None:
        ledger, works = frames()
    else:
        works = frames()[1]
    ledger.to_csv(tmp_path / "ledger.csv", index=False)
    works.to_csv(tmp_path / "works.csv", index=False)
    return CliRunner().invoke(
        cli,
        [
            "extraction",
            "write",
            "--ledger",
            str(tmp_path / "ledger.csv"),
            "--works",
            str(tmp_path / "works.csv"),
            "--config",
            CONFIG,
            "--out",
            str(tmp_path / "out"),
        ],
    )


def test_write_then_read_with_risk_of_bias(tmp_path):
    result = write(tmp_path)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert "4 included studies" in result.output
    # Fill in what a reviewer would: required extraction cells and every RoB judgement.
    wb = load_workbook(out / "extraction.xlsx")
    ws = wb["Extraction"]
    header = [c.value for c in ws[1]]
    for row in range(2, 6):
        for name in header:
            col = header.index(name) + 1
            if name == "Design":
                ws.cell(row=row, column=col).value = (
                    "Double Blind RCT" if row == 5 else "Retrospective Study"
                )
            elif name == "Population n":
                ws.cell(row=row, column=col).value = row
            elif name.endswith(" reported"):
                ws.cell(row=row, column=col).value = "Yes" if name.startswith("Skin") else "No"
    wb.save(out / "extraction.xlsx")
    for name, sheet, value in (
        ("rob2", "RoB2", "Some concerns"),
        ("robins_i", "ROBINS-I", "Serious"),
    ):
        wb = load_workbook(out / f"{name}.xlsx")
        for row in wb[sheet].iter_rows(min_row=2):
            for cell in row[1:]:
                cell.value = value
        wb.save(out / f"{name}.xlsx")
    result = CliRunner().invoke(
        cli,
        [
            "extraction",
            "read",
            str(out / "extraction.xlsx"),
            "--config",
            CONFIG,
            "--rob",
            str(out / "rob2.xlsx"),
            "--rob",
            str(out / "robins_i.xlsx"),
            "--out",
            str(tmp_path / "summary"),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = tmp_path / "summary"
    table = pd.read_csv(summary / "table1.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["Study", "Design", "Skin", "Lung", "MSK", "GIT", "Other"]
    assert list(table["Study"]) == ["Levy 2004a", "Levy 2004b", "Sanges 2017", "Takehara 2013"]
    assert list(table["Skin"]) == ["X"] * 4 and list(table["Lung"]) == [""] * 4
    assert (summary / "table1.md").read_text().startswith("| Study | Design | Skin |")
    robins = pd.read_csv(summary / "robins_i_robvis.csv")
    assert list(robins.columns) == ["Study"] + [f"D{i}" for i in range(1, 8)] + [
        "Overall",
        "Weight",
    ]
    assert (robins.iloc[:, 1:-1] == "Serious").all().all()
    assert list(robins["Weight"]) == [2, 3, 4]  # Population n
    rob2 = pd.read_csv(summary / "rob2_robvis.csv")
    assert list(rob2["Study"]) == ["Takehara 2013"]
    for name in ("rob2", "robins_i"):
        png = (summary / f"{name}_traffic_light.png").read_bytes()
        assert png.startswith(b"\x89PNG")


def test_read_error_is_a_message_and_exit_2(tmp_path):
    assert write(tmp_path).exit_code == 0
    result = CliRunner().invoke(
        cli,
        [
            "extraction",
            "read",
            str(tmp_path / "out" / "extraction.xlsx"),
            "--config",
            CONFIG,
            "--out",
            str(tmp_path / "summary"),
        ],
    )
    assert result.exit_code == 2
    assert "reviewflow: error:" in result.output
    assert "sheet 'Extraction' cell H3 (Design): missing required value" in result.output
    assert not (tmp_path / "summary").exists()


def test_shipped_example_reads_back(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "extraction",
            "read",
            str(REPO / "config/extraction/koczanowski2024.csv"),
            "--config",
            CONFIG,
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "12 studies" in result.output
    assert len(pd.read_csv(tmp_path / "table1.csv")) == 12


def test_config_without_extraction_section(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("review: {title: x}\n")
    result = CliRunner().invoke(
        cli,
        [
            "extraction",
            "read",
            str(REPO / "config/extraction/koczanowski2024.csv"),
            "--config",
            str(config),
            "--out",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 2
    assert "no `extraction:` section" in result.output


def test_workbooks_of_a_review_with_nothing_included_yet(tmp_path):
    # A new review's first run: no study included, the workbooks are written with headers only.
    ledger = frames()[0]
    ledger.loc[ledger["status"] != "duplicate", "status"] = "pending_screening"
    result = write(tmp_path, ledger)
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "out" / "extraction.xlsx")["Extraction"]
    assert ws.max_row == 1 and ws["A1"].value == "Study"
