"""Risk-of-bias tables as robvis reads them, and studies matched across differently
labelled sheets (the shipped example and a run's own workbooks)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from extraction_fixtures import frames, ledger_row, work
from fixtures import REPO
from openpyxl import load_workbook

from reviewflow.errors import ReviewflowError
from reviewflow.extraction import (
    ROB2,
    ROBINS_I,
    included_studies,
    read_extraction,
    read_rob,
    spec_from_config,
    write_extraction,
    write_rob,
)
from reviewflow.extraction.summary import write_robvis

SECTION = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["extraction"]
# The shipped extraction section, with the sample size optional (a study may not report it).
SPEC = spec_from_config(
    SECTION
    | {
        "fields": [
            f | {"required": False} if f["name"] == SECTION["sample_size"] else f
            for f in SECTION["fields"]
        ]
    }
)

# robvis' get_judgements() (mcguinlu/robvis R/helpers.R), per tool.
ROBVIS_JUDGEMENTS = {
    "ROB2": {"High", "Some concerns", "Low", "No information"},
    "ROBINS-I": {"Critical", "Serious", "Moderate", "Low", "No information"},
}


def test_judgements_are_spelt_as_robvis_expects_per_tool():
    for tool in (ROB2, ROBINS_I):
        assert set(tool.judgements) == ROBVIS_JUDGEMENTS[tool.robvis], tool.key


def fill_rob(path: Path, rows: dict[str, list[str]]) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        for c, value in enumerate(rows.get(ws.cell(row=r, column=1).value, []), start=2):
            ws.cell(row=r, column=c).value = value
    wb.save(path)


def filled_extraction(
    tmp_path, studies: pd.DataFrame, sizes: dict[str, str], designs: dict[str, str]
) -> Path:
    path = tmp_path / "extraction.xlsx"
    write_extraction(studies, SPEC, path)
    wb = load_workbook(path)
    ws = wb["Extraction"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        study = ws.cell(row=r, column=1).value
        ws.cell(row=r, column=header.index("Design") + 1).value = designs[study]
        ws.cell(row=r, column=header.index("Population n") + 1).value = sizes.get(study)
        for domain in SPEC.domains:
            ws.cell(row=r, column=header.index(domain.reported) + 1).value = "No"
    wb.save(path)
    return path


def test_robvis_csv_has_a_weight_column_with_the_sample_size_else_1(tmp_path):
    ledger, works = frames()
    studies = included_studies(ledger, works)
    designs = {
        "Levy 2004a": "Open Label Study",
        "Levy 2004b": "Retrospective Study",
        "Sanges 2017": "Retrospective Study",
        "Takehara 2013": "Double Blind RCT",
    }
    path = filled_extraction(tmp_path, studies, {"Levy 2004a": "31"}, designs)
    write_rob(studies, SPEC, ROBINS_I, tmp_path / "robins_i.xlsx")
    fill_rob(
        tmp_path / "robins_i.xlsx",
        {
            s: ["low", "Moderate", "SERIOUS", "Low", "no information", "Low", "Low", "Serious"]
            for s in designs
        },
    )
    extraction = read_extraction(path, SPEC)
    tool, rob = read_rob(tmp_path / "robins_i.xlsx", extraction, SPEC)
    out = write_robvis(tool, rob, extraction, SPEC, tmp_path)
    table = pd.read_csv(out, dtype=str)
    assert list(table.columns) == [
        "Study",
        "D1",
        "D2",
        "D3",
        "D4",
        "D5",
        "D6",
        "D7",
        "Overall",
        "Weight",
    ]
    assert dict(zip(table["Study"], table["Weight"])) == {
        "Levy 2004a": "31",
        "Levy 2004b": "1",
        "Sanges 2017": "1",
    }
    # what rob_summary(weighted = TRUE) checks: 10 columns for ROBINS-I, a numeric last column
    assert table.shape[1] == 10 and all(
        re.fullmatch(r"-?[0-9]*\.?[0-9]+", w) for w in table["Weight"]
    )
    # judgements typed in another case come out in robvis' spelling
    assert table.iloc[0, 1:9].tolist() == [
        "Low",
        "Moderate",
        "Serious",
        "Low",
        "No information",
        "Low",
        "Low",
        "Serious",
    ]


def test_a_study_labelled_by_another_year_is_found_by_its_doi(tmp_path):
    """The run labels a study by its online year, the completed sheet by its issue year."""
    works = pd.DataFrame(
        [
            work("7", "Perkovic, D", "2020", "Low dose IVIG", doi="10.1007/s00508-020-01669-y"),
            work("8", "Nacci, F", "2007", "A pilot study"),
        ]
    )
    ledger = pd.DataFrame([ledger_row("7", "Retrospective"), ledger_row("8", "Pilot study")])
    run = included_studies(ledger, works)
    assert list(run["Study"]) == ["Nacci 2007", "Perkovic 2020"]
    write_rob(run, SPEC, ROBINS_I, tmp_path / "robins_i.xlsx")
    fill_rob(tmp_path / "robins_i.xlsx", {s: ["Low"] * 8 for s in run["Study"]})
    # The completed sheet: issue year in the label, no work key, Nacci without a DOI.
    completed = run.copy()
    completed["Study"] = ["Nacci 2007", "Perkovic 2021"]
    completed["Work key"] = ""
    completed.loc[0, "DOI"] = ""
    path = filled_extraction(
        tmp_path,
        completed,
        {"Perkovic 2021": "17"},
        {"Nacci 2007": "Pilot Study", "Perkovic 2021": "Retrospective Study"},
    )
    extraction = read_extraction(path, SPEC)
    tool, rob = read_rob(tmp_path / "robins_i.xlsx", extraction, SPEC)
    assert list(rob["Study"]) == ["Nacci 2007", "Perkovic 2021"]
    table = pd.read_csv(write_robvis(tool, rob, extraction, SPEC, tmp_path), dtype=str)
    assert dict(zip(table["Study"], table["Weight"])) == {"Nacci 2007": "1", "Perkovic 2021": "17"}


def test_the_same_label_with_a_different_doi_is_not_the_same_study(tmp_path):
    works = pd.DataFrame([work("7", "Perkovic, D", "2020", "Low dose IVIG", doi="10.1/one")])
    run = included_studies(pd.DataFrame([ledger_row("7", "Retrospective")]), works)
    write_rob(run, SPEC, ROBINS_I, tmp_path / "robins_i.xlsx")
    fill_rob(tmp_path / "robins_i.xlsx", {"Perkovic 2020": ["Low"] * 8})
    other = run.copy()
    other["DOI"], other["Work key"] = "10.1/two", ""
    path = filled_extraction(tmp_path, other, {}, {"Perkovic 2020": "Retrospective Study"})
    with pytest.raises(ReviewflowError, match="unknown study 'Perkovic 2020'"):
        read_rob(tmp_path / "robins_i.xlsx", read_extraction(path, SPEC), SPEC)


def test_a_study_is_labelled_by_its_issue_year():
    works = pd.DataFrame(
        [work("7", "Poelman, CL", "2014", "IVIG for refractory dcSSc", doi="10.3899/jrheum.140833")]
    )
    primary = ledger_row("7", "Retrospective") | {"year": "2014"}
    copy = ledger_row("7", "", status="duplicate", primary=False) | {
        "year": "2015",
        "record_id": "s.csv:3",
    }
    studies = included_studies(pd.DataFrame([primary, copy]), works)
    assert studies.loc[0, "Study"] == "Poelman 2015"
    assert " 2015" in studies.loc[0, "Citation"]


def test_sample_size_must_name_an_integer_field():
    with pytest.raises(ReviewflowError, match="sample_size 'Country' is not an integer field"):
        spec_from_config(SECTION | {"sample_size": "Country"})
