import pytest
from extraction_fixtures import frames
from fixtures import REPO
from openpyxl import load_workbook

from reviewflow.extraction import (
    ROB2,
    ROBINS_I,
    included_studies,
    load_spec,
    write_extraction,
    write_rob,
)

SPEC = load_spec(REPO / "config" / "config.yaml")


@pytest.fixture
def written(tmp_path):
    ledger, works = frames()
    studies = included_studies(ledger, works)
    write_extraction(studies, SPEC, tmp_path / "extraction.xlsx")
    write_rob(studies, SPEC, ROB2, tmp_path / "rob2.xlsx")
    write_rob(studies, SPEC, ROBINS_I, tmp_path / "robins_i.xlsx")
    return tmp_path


def validations(ws):
    """{column header: (type, list values or formula)} of a sheet's data validations."""
    wb = ws.parent
    out = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        header = ws[f"{col}1"].value
        if dv.type == "list":
            sheet, cells = dv.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            values = [c.value for (c,) in wb[sheet.strip("'")][f"{first}:{last}"]]
            out[header] = ("list", values, str(dv.sqref))
        else:
            out[header] = (dv.type, dv.formula1, str(dv.sqref))
    return out


def test_extraction_sheet_structure(written):
    wb = load_workbook(written / "extraction.xlsx")
    assert wb.sheetnames == ["Extraction", "Lists", "Notes"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["Extraction"]
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    assert header == [c.name for c in SPEC.columns]
    assert header[:8] == [
        "Study",
        "Citation",
        "DOI",
        "PMID",
        "Databases",
        "Work key",
        "Design at full text",
        "Design",
    ]
    for domain in ("Skin", "Lung", "MSK", "GIT", "Other"):
        assert f"{domain} reported" in header
    assert "Skin: mRSS" in header and "GIT: Lower GI symptoms (GIT2.0)" in header
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == [
        "Levy 2004a",
        "Levy 2004b",
        "Sanges 2017",
        "Takehara 2013",
    ]
    # Design is pre-filled where the full-text design matches a configured one (case ignored).
    assert [ws.cell(row=r, column=8).value for r in range(2, 6)] == [
        "Open Label Study",
        None,
        None,
        "Double Blind RCT",
    ]


def test_dropdowns_and_number_validation(written):
    ws = load_workbook(written / "extraction.xlsx")["Extraction"]
    found = validations(ws)
    assert found["Design"][:2] == ("list", list(SPEC.designs))
    assert found["Design"][2] == "H2:H5"
    assert found["Diagnosis subtype"][:2] == (
        "list",
        ["Diffuse", "Limited", "Mixed", "Not reported"],
    )
    assert found["Comparator type"][1] == ["None", "Placebo", "Active", "Historical controls"]
    assert found["Skin reported"][:2] == ("list", ["Yes", "No"])
    assert found["Population n"][:2] == ("whole", "0")
    assert set(found) == {c.name for c in SPEC.columns if c.kind in ("list", "integer")}


def test_widths_fit_the_content(written):
    ws = load_workbook(written / "extraction.xlsx")["Extraction"]
    citation_width = ws.column_dimensions["B"].width
    longest = max(len(ws.cell(row=r, column=2).value) for r in range(2, ws.max_row + 1))
    assert citation_width == min(longest + 2, 60)
    assert ws.column_dimensions["A"].width == len("Takehara 2013") + 2


def test_notes_sheet_explains_every_column(written):
    wb = load_workbook(written / "extraction.xlsx")
    notes = {row[0]: row for row in wb["Notes"].iter_rows(min_row=2, values_only=True)}
    assert list(notes) == [c.name for c in SPEC.columns]
    assert all(row[4] for row in notes.values())
    assert notes["Design"][1] == "yes" and notes["Design"][3] == " / ".join(SPEC.designs)
    assert notes["Study"][2] == "pre-filled from the ledger"


def test_rob_workbooks_follow_the_design_and_robvis_columns(written):
    rob2 = load_workbook(written / "rob2.xlsx")
    ws = rob2["RoB2"]
    assert [c.value for c in ws[1]] == ["Study", "D1", "D2", "D3", "D4", "D5", "Overall"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Takehara 2013"]
    assert ws.freeze_panes == "B2"
    assert validations(ws)["D1"][:2] == ("list", ["Low", "Some concerns", "High", "No information"])
    robins = load_workbook(written / "robins_i.xlsx")["ROBINS-I"]
    assert [c.value for c in robins[1]] == ["Study"] + [f"D{i}" for i in range(1, 8)] + ["Overall"]
    # Unmatched designs ("Retrospective") go by their wording: not randomised -> ROBINS-I.
    assert [r[0] for r in robins.iter_rows(min_row=2, values_only=True)] == [
        "Levy 2004a",
        "Levy 2004b",
        "Sanges 2017",
    ]
    overall = validations(robins)["Overall"]
    assert overall[1] == ["Low", "Moderate", "Serious", "Critical", "No information"]
    assert "D7" in [r[0] for r in robins.parent["Notes"].iter_rows(values_only=True)]


def test_same_input_same_bytes(written, tmp_path_factory):
    again = tmp_path_factory.mktemp("again")
    ledger, works = frames()
    write_extraction(included_studies(ledger, works), SPEC, again / "extraction.xlsx")
    assert (again / "extraction.xlsx").read_bytes() == (written / "extraction.xlsx").read_bytes()


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_record_text_never_becomes_a_formula(tmp_path, text):
    ledger, works = frames()
    # No authors: the citation starts with the title; the DOI and the design are the record's too.
    works.loc[0, ["authors", "title", "doi"]] = ["", text, text]
    ledger.loc[0, "ft_design"] = text
    studies = included_studies(ledger, works)
    write_extraction(studies, SPEC, tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["Extraction"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    row = [c for c in ws[2]]
    by_header = {ws.cell(row=1, column=c.column).value: c for c in row}
    assert by_header["Study"].value == "Anonymous 2004"
    # Identifiers are stripped of surrounding space; XML stores a CR as a line feed.
    assert by_header["Citation"].value.strip().startswith(text.strip())
    assert by_header["DOI"].value == text.strip()
    assert by_header["Design at full text"].value == text.strip()
    for name in ("Citation", "DOI", "Design at full text"):
        assert by_header[name].data_type == "s"
        assert by_header[name].quotePrefix


def test_control_characters_xml_cannot_hold_are_dropped(tmp_path):
    ledger, works = frames()
    works.loc[0, "title"] = "Bad\x0bchar"
    write_extraction(included_studies(ledger, works), SPEC, tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["Extraction"]
    assert "Badchar" in ws["B2"].value
