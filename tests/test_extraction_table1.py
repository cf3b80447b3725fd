"""The shipped example (the reference review's own extraction) must give back its Table 1,
with the two rows its text and outcome tables contradict read as the text reads them."""

import re

import pytest
from fixtures import REPO

from reviewflow.extraction import load_spec, read_extraction
from reviewflow.extraction.summary import table1

CONFIG = REPO / "config" / "config.yaml"


def parse_table1(text: str) -> list[tuple[str, ...]]:
    """Rows of Table 1 from the review's text: from its header line to the first blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line == "Table 1") + 1
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("Study\tDesign"))
    rows = [tuple(lines[header].split("\t"))]
    for line in lines[header + 1 :]:
        if not line.strip():
            break
        rows.append(tuple(line.split("\t")))
    return rows


def as_review_rows(frame) -> list[tuple[str, ...]]:
    """Our Table 1 with the review's study naming ("Takehara et al. [12]" -> "Takehara")."""
    return [tuple(frame.columns)] + [tuple(row) for row in frame.itertuples(index=False)]


# Where the review's text and Tables 3-5 contradict its Table 1, the example takes the text's
# reading (config/extraction/README.md): study -> the domains' corrected marks.
CORRECTIONS = {"Matsuda": {"MSK": "", "GIT": "X"}, "Agostini": {"Lung": ""}}
# The Results section's citations of the studies of each domain, as printed.
TEXT_CITES = {"Lung": "[7,12,14,15,17,21,25]", "MSK": "[7,14,17,19,25]", "GIT": "[7,17,24,25]"}


def review_rows(rows):
    """The printed Table 1 with the review's study naming shortened and the corrections applied."""
    header, out = rows[0], [rows[0]]
    for row in rows[1:]:
        study = row[0].split(" et al")[0]
        cells = dict(zip(header, (study,) + row[1:]), **CORRECTIONS.get(study, {}))
        out.append(tuple(cells[column] for column in header))
    return out


@pytest.fixture(scope="module")
def ours():
    spec = load_spec(CONFIG)
    table = table1(read_extraction(REPO / load_spec(CONFIG).example, spec), spec)
    table["Study"] = table["Study"].str.rsplit(" ", n=1).str[0]  # "Takehara 2013" -> "Takehara"
    return as_review_rows(table)


def test_reproduces_table1_copy_in_tests_data(ours):
    expected = review_rows(
        parse_table1((REPO / "tests" / "data" / "koczanowski2024_table1.txt").read_text())
    )
    assert len(expected) == 13
    assert ours == expected


def test_reproduces_table1_of_the_shared_reference_review(ours, shared):
    text = (shared / "reference-review" / "koczanowski-2024-ivig-ssc.md").read_text()
    assert ours == review_rows(parse_table1(text))


def test_each_domain_marks_the_studies_the_text_cites_for_it(ours, shared):
    text = (shared / "reference-review" / "koczanowski-2024-ivig-ssc.md").read_text()
    printed = parse_table1(text)
    number = {
        row[0].split(" et al")[0]: re.search(r"\[(\d+)\]", row[0]).group(1) for row in printed[1:]
    }
    header = ours[0]
    for domain, cites in TEXT_CITES.items():
        assert cites in text, domain
        marked = {number[row[0]] for row in ours[1:] if row[header.index(domain)] == "X"}
        assert marked == set(cites.strip("[]").split(",")), domain


def test_study_ids_follow_the_surname_year_convention():
    spec = load_spec(CONFIG)
    rows = read_extraction(REPO / spec.example, spec)
    assert rows["Study"].str.fullmatch(r"[A-Z][a-z]+ (19|20)\d\d").all()
    assert rows["Population n"].astype(int).sum() == 354  # the review's 354 patients


def test_every_reported_flag_agrees_with_the_outcome_cells():
    from reviewflow.extraction.summary import flag_mismatches

    spec = load_spec(CONFIG)
    assert flag_mismatches(read_extraction(REPO / spec.example, spec), spec) == []


def test_outputs_are_formula_safe_and_lossless(tmp_path):
    import csv

    from reviewflow.extraction.readback import read_sheet
    from reviewflow.extraction.summary import write_table1

    spec = load_spec(CONFIG)
    rows = read_extraction(REPO / spec.example, spec)
    rows.loc[0, "Study"] = '=HYPERLINK("x") 2013'
    write_table1(rows, spec, tmp_path)
    cells = list(csv.reader((tmp_path / "table1.csv").open()))
    assert cells[1][0] == '\'=HYPERLINK("x") 2013'
    assert read_sheet(tmp_path / "table1.csv", ()).rows[0][0] == '=HYPERLINK("x") 2013'
    assert '| \'=HYPERLINK("x") 2013 |' in (tmp_path / "table1.md").read_text()


def test_example_typed_into_a_generated_workbook_reads_back_the_same(tmp_path):
    """The xlsx path gives what the CSV path gives: write the workbook for the example's
    studies, type every example value in, read it back."""
    from openpyxl import load_workbook

    from reviewflow.extraction import write_extraction

    spec = load_spec(CONFIG)
    rows = read_extraction(REPO / spec.example, spec)
    studies = rows[
        ["Study", "Citation", "DOI", "PMID", "Databases", "Work key", "Design at full text"]
    ]
    path = tmp_path / "extraction.xlsx"
    write_extraction(studies, spec, path)
    wb = load_workbook(path)
    ws = wb["Extraction"]
    for r, record in enumerate(rows.itertuples(index=False), start=2):
        for c, value in enumerate(record, start=1):
            ws.cell(row=r, column=c).value = value or None
            ws.cell(row=r, column=c).data_type = "s"
    wb.save(path)
    again = read_extraction(path, spec)
    assert again.equals(rows)
    assert table1(again, spec).equals(table1(rows, spec))


def test_no_included_studies_gives_empty_sheets(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from reviewflow.extraction import ROB2, write_extraction, write_rob
    from reviewflow.extraction.studies import STUDY_COLUMNS

    spec = load_spec(CONFIG)
    empty = pd.DataFrame(columns=STUDY_COLUMNS)
    write_extraction(empty, spec, tmp_path / "x.xlsx")
    write_rob(empty, spec, ROB2, tmp_path / "r.xlsx")
    assert load_workbook(tmp_path / "x.xlsx")["Extraction"].max_row == 1
    assert len(read_extraction(tmp_path / "x.xlsx", spec)) == 0
