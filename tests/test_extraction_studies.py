import pytest
from extraction_fixtures import frames

from reviewflow.errors import ReviewflowError
from reviewflow.extraction import included_studies


def test_one_row_per_included_study_with_disambiguated_ids():
    ledger, works = frames()
    studies = included_studies(ledger, works)
    assert list(studies["Study"]) == ["Levy 2004a", "Levy 2004b", "Sanges 2017", "Takehara 2013"]
    levy_a = studies.iloc[0]
    assert levy_a["DOI"] == "10.1/levy-a"
    assert levy_a["PMID"] == "11"
    assert levy_a["Design at full text"] == "Open label study"
    assert (
        levy_a["Citation"] == "Levy Y, Sherer Y. Skin score decrease. J Test 2004. doi:10.1/levy-a."
    )
    assert studies.iloc[1]["Databases"] == "Embase; MEDLINE"


def test_reports_of_one_study_are_joined_and_named_after_the_earliest():
    ledger, works = frames()
    sanges = included_studies(ledger, works).set_index("Study").loc["Sanges 2017"]
    assert sanges["DOI"] == "10.1/sanges; 10.1/sanges-2"
    assert sanges["Databases"] == "MEDLINE; Scopus"
    assert sanges["Work key"] == "rf-0000000004; rf-0000000005"
    assert sanges["Citation"].count("French cohort") == 2


def test_input_order_does_not_matter():
    ledger, works = frames()
    a = included_studies(ledger, works)
    b = included_studies(ledger.iloc[::-1], works.iloc[::-1])
    assert a.equals(b)


def test_included_cluster_missing_from_works_is_an_error():
    ledger, works = frames()
    with pytest.raises(ReviewflowError, match=r"missing from works.csv: \['3'\]"):
        included_studies(ledger, works[works["cluster_id"] != "3"])


def test_tables_written_formula_safe_are_read_back_verbatim(tmp_path):
    from reviewflow.extraction.studies import LEDGER_NEEDS, WORKS_NEEDS, read_table
    from reviewflow.safe import safe_frame

    ledger, works = frames()
    works.loc[0, "title"] = "=1+1 is not a formula"
    safe_frame(works).to_csv(tmp_path / "works.csv", index=False)
    safe_frame(ledger).to_csv(tmp_path / "ledger.csv", index=False)
    assert "'=1+1" in (tmp_path / "works.csv").read_text()
    studies = included_studies(
        read_table(tmp_path / "ledger.csv", LEDGER_NEEDS),
        read_table(tmp_path / "works.csv", WORKS_NEEDS),
    )
    assert "Y. =1+1 is not a formula. J Test" in studies.loc[0, "Citation"]


def test_missing_column_names_the_file(tmp_path):
    from reviewflow.extraction.studies import WORKS_NEEDS, read_table

    _, works = frames()
    works.drop(columns="authors").to_csv(tmp_path / "works.csv", index=False)
    with pytest.raises(ReviewflowError, match=r"works.csv:1: missing columns \['authors'\]"):
        read_table(tmp_path / "works.csv", WORKS_NEEDS)


@pytest.mark.parametrize(
    "author, expected",
    [
        ("Poelman, Corrie L", "Poelman CL"),
        ("Matsuda, KM", "Matsuda KM"),
        ("Levy, Yair", "Levy Y"),
        ("Simeón-Aznar, Carmen Pilar", "Simeón-Aznar CP"),
        ("Dupont, Jean-Pierre", "Dupont JP"),
        ("Anonymous", "Anonymous"),
    ],
)
def test_vancouver_names(author, expected):
    from reviewflow.extraction.studies import _vancouver

    assert _vancouver(author) == expected
