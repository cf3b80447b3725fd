import re
from pathlib import Path

import pytest
from extraction_fixtures import frames
from fixtures import REPO
from openpyxl import load_workbook

from reviewflow.errors import ReviewflowError
from reviewflow.extraction import (
    ROB2,
    ROBINS_I,
    included_studies,
    load_spec,
    read_extraction,
    read_rob,
    write_extraction,
    write_rob,
)

SPEC = load_spec(REPO / "config" / "config.yaml")
STUDIES = ["Levy 2004a", "Levy 2004b", "Sanges 2017", "Takehara 2013"]


def fill(path: Path, values: dict) -> None:
    """Type values into a workbook as a reviewer would: {(sheet, header, study): value}."""
    wb = load_workbook(path)
    for (sheet, header, study), value in values.items():
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(header) + 1
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == study)
        ws.cell(row=row, column=col).value = value
    wb.save(path)


def complete(tmp_path) -> Path:
    """A generated extraction workbook with every required cell filled in."""
    ledger, works = frames()
    studies = included_studies(ledger, works)
    path = tmp_path / "extraction.xlsx"
    write_extraction(studies, SPEC, path)
    values = {}
    designs = {
        "Levy 2004a": "Open Label Study",
        "Levy 2004b": "Retrospective Study",
        "Sanges 2017": "Retrospective Study",
        "Takehara 2013": "Double Blind RCT",
    }
    for i, study in enumerate(STUDIES):
        values["Extraction", "Design", study] = designs[study]
        values["Extraction", "Population n", study] = 10 + i
        for domain in SPEC.domains:
            values["Extraction", domain.reported, study] = (
                "Yes" if i % 2 == 0 or domain.name == "Skin" else "No"
            )
    values["Extraction", "Skin: mRSS", "Levy 2004a"] = "-10 ± 5.9 (p < 0.001)"
    fill(path, values)
    write_rob(studies, SPEC, ROB2, tmp_path / "rob2.xlsx")
    write_rob(studies, SPEC, ROBINS_I, tmp_path / "robins_i.xlsx")
    return path


def test_round_trip(tmp_path):
    rows = read_extraction(complete(tmp_path), SPEC)
    assert list(rows["Study"]) == STUDIES
    assert list(rows["Population n"]) == ["10", "11", "12", "13"]
    assert rows.loc[0, "Skin: mRSS"] == "-10 ± 5.9 (p < 0.001)"
    assert rows.loc[0, "Citation"].startswith("Levy Y, Sherer Y.")
    assert list(rows.columns) == [c.name for c in SPEC.columns]


def errors(excinfo) -> list[str]:
    return str(excinfo.value).splitlines()[1:]


def test_missing_required_cells_are_all_listed(tmp_path):
    path = complete(tmp_path)
    fill(
        path,
        {
            ("Extraction", "Design", "Levy 2004b"): None,
            ("Extraction", "MSK reported", "Sanges 2017"): None,
        },
    )
    with pytest.raises(ReviewflowError) as excinfo:
        read_extraction(path, SPEC)
    assert "2 problem(s)" in str(excinfo.value)
    col_design = "H"
    assert f"sheet 'Extraction' cell {col_design}3 (Design): missing required value" in str(
        excinfo.value
    )
    assert re.search(r"cell [A-Z]+4 \(MSK reported\): missing required value", str(excinfo.value))


def test_value_outside_a_list(tmp_path):
    path = complete(tmp_path)
    fill(
        path,
        {
            ("Extraction", "Diagnosis subtype", "Takehara 2013"): "Diffuse cutaneous",
            ("Extraction", "Skin reported", "Levy 2004a"): "yes",
        },
    )
    with pytest.raises(ReviewflowError) as excinfo:
        read_extraction(path, SPEC)
    found = errors(excinfo)
    assert len(found) == 2
    assert (
        "5 (Diagnosis subtype): 'Diffuse cutaneous' is not one of "
        "['Diffuse', 'Limited', 'Mixed', 'Not reported']" in found[1]
    )
    assert "2 (Skin reported): 'yes' is not one of ['Yes', 'No']" in found[0]


def test_not_a_whole_number(tmp_path):
    path = complete(tmp_path)
    fill(path, {("Extraction", "Population n", "Levy 2004a"): "about 10"})
    with pytest.raises(
        ReviewflowError, match=r"cell J2 \(Population n\): 'about 10' is not a whole number"
    ):
        read_extraction(path, SPEC)


def test_duplicate_study(tmp_path):
    path = complete(tmp_path)
    fill(path, {("Extraction", "Study", "Levy 2004b"): "Levy 2004a"})
    with pytest.raises(
        ReviewflowError, match=r"cell A3 \(Study\): study 'Levy 2004a' also on row 2"
    ):
        read_extraction(path, SPEC)


def test_formula_typed_by_a_reviewer_is_rejected(tmp_path):
    path = complete(tmp_path)
    fill(path, {("Extraction", "Country", "Levy 2004a"): "=A1"})
    with pytest.raises(ReviewflowError, match=r"formulas are not accepted.*\['I2'\]"):
        read_extraction(path, SPEC)


def test_missing_column(tmp_path):
    path = complete(tmp_path)
    wb = load_workbook(path)
    wb["Extraction"].delete_cols(9)  # Country
    wb.save(path)
    with pytest.raises(ReviewflowError, match=r"lacks the columns \['Country'\]"):
        read_extraction(path, SPEC)


def test_rob_sheet_round_trip(tmp_path):
    path = complete(tmp_path)
    judgements = ["Low", "Some concerns", "High", "No information", "Low", "High"]
    fill(
        tmp_path / "rob2.xlsx",
        {("RoB2", col, "Takehara 2013"): v for col, v in zip(ROB2.columns[1:], judgements)},
    )
    tool, rob = read_rob(tmp_path / "rob2.xlsx", read_extraction(path, SPEC), SPEC)
    assert tool is ROB2
    assert list(rob.columns) == ["Study", "D1", "D2", "D3", "D4", "D5", "Overall"]
    assert list(rob.iloc[0]) == ["Takehara 2013"] + judgements


def test_rob_errors_all_listed(tmp_path):
    path = complete(tmp_path)
    rob = tmp_path / "robins_i.xlsx"
    values = {
        ("ROBINS-I", col, study): "Low" for col in ROBINS_I.columns[1:] for study in STUDIES[:3]
    }
    values["ROBINS-I", "D2", "Levy 2004a"] = "Some concerns"  # a RoB 2 word
    values["ROBINS-I", "Overall", "Levy 2004b"] = None
    values["ROBINS-I", "Study", "Sanges 2017"] = "Sanges 2019"
    fill(rob, values)
    wb = load_workbook(rob)
    wb["ROBINS-I"].append(["Takehara 2013"] + ["Low"] * 8)
    wb.save(rob)
    with pytest.raises(ReviewflowError) as excinfo:
        read_rob(rob, read_extraction(path, SPEC), SPEC)
    found = errors(excinfo)
    assert len(found) == 4, found
    assert "sheet 'ROBINS-I' cell C2 (D2): 'Some concerns' is not one of" in found[0]
    assert "cell I3 (Overall): missing required value" in found[1]
    assert "cell A4 (Study): unknown study 'Sanges 2019' (not on the extraction sheet)" in found[2]
    assert (
        "cell A5 (Study): 'Takehara 2013' is a Double Blind RCT, assessed with RoB2, not ROBINS-I"
        in found[3]
    )


def test_rob_csv_is_told_apart_by_its_columns(tmp_path, shared):
    path = complete(tmp_path)
    example = (shared / "conventions" / "robvis_robins_i_example.csv").read_text()
    csv = tmp_path / "robins.csv"
    csv.write_text(example)
    with pytest.raises(
        ReviewflowError, match=r"robins.csv line 2, column 'Study': unknown study 'Study 1'"
    ):
        read_rob(csv, read_extraction(path, SPEC), SPEC)


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("hello")
    with pytest.raises(ReviewflowError, match="cannot read workbook"):
        read_extraction(bad, SPEC)
