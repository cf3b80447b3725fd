"""Tabular and BibTeX exports: every sample read whole, with its identifiers; bad input named."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import read_export
from reviewflow.ingest.detect import detect_format, read_text
from reviewflow.records import COLUMNS

# sample (relative to ../shared/samples) -> detected format
SAMPLES = {
    "wos_tab/wos_tab_delimited_win_utf8.txt": "wos_tab",
    "wos_tab/wos_tab_delimited_win_utf16.txt": "wos_tab",
    "scopus_csv/_baseline_scopus.csv": "scopus_csv",
    "embase_csv/_baseline_embase.csv": "embase_csv",
    "embase_csv/embase.csv": "embase_csv",
    "cochrane/_baseline_cochrane.csv": "cochrane_csv",
    "scopus_bibtex/Scopus_bib_example.bib": "bibtex",
    "scopus_bibtex/scopus_m.bib": "bibtex",
    "wos_bibtex/wos_m.bib": "bibtex",
}


def sources_count(sample: Path) -> int:
    """The record count SOURCES.txt states for a sample file."""
    text = (sample.parent / "SOURCES.txt").read_text(encoding="utf-8")
    block = re.split(rf"^{re.escape(sample.name)}$", text, maxsplit=1, flags=re.MULTILINE)[1]
    return int(re.search(r"records: (\d+)", block).group(1))


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_read_whole_and_detected(samples, name):
    path = samples / name
    assert detect_format(read_text(path), path) == SAMPLES[name]
    frame = read_export(path)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == sources_count(path)
    assert frame["source_index"].tolist() == list(range(1, len(frame) + 1))
    assert frame["record_id"].is_unique
    assert (frame["title"] != "").all()
    assert frame["authors"].map(len).gt(0).all()
    assert frame["year"].notna().all()
    # DOIs are normalised and each is in the file as given (case, URL- or LaTeX-escaping aside).
    text = read_text(path).lower()
    for doi in frame["doi"][frame["doi"] != ""]:
        assert doi == doi.lower() and not doi.startswith(("http", "doi:"))
        assert doi in text or doi.replace("/", "%2f") in text or doi.replace("_", "\\_") in text


def _column(path: Path, column: str, skip: int = 0, delimiter: str = ",") -> list[str]:
    """A column read with the csv module alone, to check the parser against."""
    text = read_text(path).split("\n", skip)[-1]
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    return [
        row[column]
        for row in csv.DictReader(text.splitlines(True), delimiter=delimiter, quoting=quoting)
    ]


@pytest.mark.parametrize(
    "name, skip, delimiter, id_column, doi_column",
    [
        ("wos_tab/wos_tab_delimited_win_utf8.txt", 0, "\t", "UT", "DI"),
        ("scopus_csv/_baseline_scopus.csv", 0, ",", "EID", "DOI"),
        ("embase_csv/_baseline_embase.csv", 3, ",", "PUI", "DOI"),
        ("cochrane/_baseline_cochrane.csv", 0, ",", "CENTRAL ID", "DOI"),
    ],
)
def test_ids_and_dois_match_their_columns(samples, name, skip, delimiter, id_column, doi_column):
    path = samples / name
    frame = read_export(path)
    assert frame["source_id"].tolist() == _column(path, id_column, skip, delimiter)
    assert frame["doi"].tolist() == [d.lower() for d in _column(path, doi_column, skip, delimiter)]


def test_wos_tab_values(shared):
    frame = read_export(shared / "samples" / "wos_tab/wos_tab_delimited_win_utf8.txt")
    first, fourth, last = frame.iloc[0], frame.iloc[3], frame.iloc[-1]
    assert first["source_db"] == "Web of Science"
    assert first["source_id"] == "WOS:000220015600001"
    assert first["doi"] == "10.1287/orsc.1030.0054"
    assert first["year"] == 2004
    assert first["title"] == (
        "Knowledge networks as channels and conduits: The effects of "
        "spillovers in the Boston biotechnology community"
    )
    assert first["authors"] == ["Owen-Smith, J", "Powell, WW"]
    assert first["journal"] == "ORGANIZATION SCIENCE"
    assert "economic geography" in first["keywords"]
    # Full given names (AF) are preferred over initials (AU).
    assert fourth["authors"] == ["Ito, Masao"]
    assert (fourth["volume"], fourth["issue"], fourth["pages"]) == ("78", "3-5", "272-303")
    assert fourth["publication_type"] == "review"
    assert fourth["journal_abbrev"] == "Prog. Neurobiol."
    assert last["source_id"] == "WOS:000231798300005"
    assert last["doi"] == "10.1007/s11192-005-0268-1"
    assert (last["year"], last["page_start"], last["page_end"]) == (2005, "199", "213")


def test_wos_tab_utf16_equals_utf8(samples):
    utf8 = read_export(samples / "wos_tab/wos_tab_delimited_win_utf8.txt", name="x")
    utf16 = read_export(samples / "wos_tab/wos_tab_delimited_win_utf16.txt", name="x")
    pd.testing.assert_frame_equal(utf8, utf16)


def test_scopus_csv_values(shared):
    frame = read_export(shared / "samples" / "scopus_csv/_baseline_scopus.csv")
    first, last = frame.iloc[0], frame.iloc[-1]
    assert first["source_db"] == "Scopus"
    assert first["source_id"] == "2-s2.0-85189760133"
    assert (first["doi"], first["pmid"], first["year"]) == (
        "10.1038/s41467-024-46843-2",
        "38580657",
        2024,
    )
    assert first["authors"][:2] == [
        "Wilson, Lauren N.",
        "Gardner, Jacob D.",
    ]  # full names, IDs dropped
    assert first["pages"] == "2864"  # article number: the journal has no pages
    assert first["journal"] == "Nature Communications" and first["journal_abbrev"] == "Nat. Commun."
    assert first["issn"] == "2041-1723"
    assert last["source_id"] == "2-s2.0-85191998754"
    assert (last["volume"], last["issue"], last["pages"]) == ("50", "2", "308-329")
    assert (last["doi"], last["pmid"]) == ("10.1017/pab.2024.6", "")
    assert last["title"].startswith("The evolution of femoral morphology in giant non-avian thero")


def test_embase_csv_2024_values(samples):
    frame = read_export(samples / "embase_csv/_baseline_embase.csv")
    first, second, third, last = frame.iloc[0], frame.iloc[1], frame.iloc[2], frame.iloc[-1]
    assert first["source_db"] == "Embase"
    assert (first["source_id"], first["pmid"]) == ("L2029880245", "38773066")
    assert first["doi"] == "10.1038/s41467-024-48400-3"
    assert first["authors"] == ["Yang, Z.", "Jiang, B.", "Xu, J.", "McNamara, M.E."]
    assert first["title"].startswith("Cellular structure of dinosaur scales")
    assert first["keywords"][:2] == ["keratin", "melanin"]  # Emtree subheadings dropped, as in RIS
    assert second["publication_type"] == "erratum"
    assert (third["volume"], third["issue"], third["pages"]) == ("40", "3", "307-356")
    assert last["issn"] == "1932-8494; 1932-8486"
    assert (last["source_id"], last["year"], last["volume"]) == ("L2030246463", 2024, "")


def test_embase_csv_old_reads_year_and_doi_from_source_and_link(samples):
    frame = read_export(samples / "embase_csv/embase.csv")
    first, third = frame.iloc[0], frame.iloc[2]
    assert (first["journal"], first["year"], first["volume"], first["issue"]) == (
        "Endoscopic Ultrasound",
        2014,
        "3",
        "3",
    )
    assert (first["pages"], first["doi"]) == ("152-160", "10.4103/2303-9027.138783")
    assert first["authors"] == ["Liu, R.", "Adler, D.G."]
    assert (third["year"], third["volume"], third["issue"], third["pages"]) == (
        2019,
        "54",
        "",
        "83-86",
    )
    assert frame["year"].tolist() == [2014, 2004, 2019, 2018, 2011, 2017]


def test_embase_xlsx_equals_its_csv(samples):
    workbook = read_export(samples / "embase_csv/_baseline_embase.xlsx", name="embase")
    assert len(workbook) == sources_count(samples / "embase_csv/_baseline_embase.xlsx")
    pd.testing.assert_frame_equal(
        workbook, read_export(samples / "embase_csv/_baseline_embase.csv", name="embase")
    )


def test_damaged_workbook_is_an_error(samples, tmp_path):
    data = (samples / "embase_csv/_baseline_embase.xlsx").read_bytes()
    path = _write(tmp_path, "cut.xlsx", data[: len(data) // 2])
    with pytest.raises(ReviewflowError, match=r"cut\.xlsx: cannot read the XLSX workbook"):
        read_export(path)


def test_cochrane_csv_values(samples):
    frame = read_export(samples / "cochrane/_baseline_cochrane.csv")
    first, third = frame.iloc[0], frame.iloc[2]
    assert first["source_db"] == "Cochrane CENTRAL"
    assert (first["source_id"], first["pmid"], first["year"]) == ("CN-00778158", "21314913", 2011)
    assert first["doi"] == "10.1186/1745-6215-12-39"
    assert first["authors"][:2] == ["Bywater, T", "Hutchings, J"]
    assert first["publication_type"] == "journal article"
    assert third["pages"] == "43-58"  # "43\u201058" with a Unicode hyphen
    assert "Cañas, M" in third["authors"]


def test_bibtex_values(shared):
    old = read_export(shared / "samples" / "scopus_bibtex/Scopus_bib_example.bib")
    assert old.iloc[0]["source_db"] == "Scopus"
    assert old.iloc[0]["source_id"] == "2-s2.0-85079532227"  # from the URL's eid=
    assert (old.iloc[0]["doi"], old.iloc[0]["year"]) == ("10.1080/20964129.2020.1722034", 2020)
    assert old.iloc[0]["authors"][:2] == ["Li, W.", "Dou, Z."]
    new = read_export(shared / "samples" / "scopus_bibtex/scopus_m.bib")
    assert new.iloc[0]["pages"] == "79-88"  # "79 – 88"
    assert new.iloc[0]["source_id"] == "2-s2.0-85083087417"
    assert (
        new.iloc[3]["authors"][0] == "Carmone Jr., Frank J."
    )  # key "Carmone Jr.1997538" has a space
    assert "19299883" in new["pmid"].tolist()
    wos = read_export(shared / "samples" / "wos_bibtex/wos_m.bib")
    first = wos.iloc[0]
    assert (first["source_db"], first["source_id"]) == ("Web of Science", "WOS:000278542800018")
    assert (
        first["title"] == "Estimation of missing judgments in AHP pairwise matrices "
        "using a neural network-based model"
    )
    assert (first["doi"], first["pages"], first["year"]) == (
        "10.1016/j.amc.2010.04.009",
        "2959-2975",
        2010,
    )
    assert first["authors"][1] == "Karanik, Marcelo"
    assert (
        "R&D Project Performance Evaluation With Multiple and Interdependent Criteria"
        in wos["title"].tolist()
    )
    assert wos.iloc[-1]["source_id"] == "WOS:000343341500005"


# --- bad input ----------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_csv_without_title_column(samples, tmp_path):
    text = read_text(samples / "scopus_csv/_baseline_scopus.csv").replace(
        '"Title",', '"Headline",', 1
    )
    path = _write(tmp_path, "notitle.csv", text)
    with pytest.raises(ReviewflowError, match=r"notitle\.csv:1: .*'Title' column"):
        read_export(path)


def test_ragged_csv_row_names_its_line(samples, tmp_path):
    text = read_text(samples / "cochrane/_baseline_cochrane.csv")
    text = text.replace('"CN-02677909",', '"CN-02677909","extra",', 1)
    line = text[: text.index('"CN-02677909"')].count("\n") + 1
    path = _write(tmp_path, "ragged.csv", text)
    with pytest.raises(
        ReviewflowError,
        match=rf"ragged\.csv:{line}: record 2 has 21 fields but the header names 20",
    ):
        read_export(path)


def test_short_wos_row_names_its_line(shared, tmp_path):
    lines = read_text(shared / "samples" / "wos_tab/wos_tab_delimited_win_utf8.txt").split("\n")
    lines[7] = "\t".join(lines[7].split("\t")[:30])
    path = _write(tmp_path, "short.txt", "\n".join(lines))
    with pytest.raises(ReviewflowError, match=r"short\.txt:8: record 7 has 30 fields"):
        read_export(path)


def test_undecodable_bytes_name_their_line(samples, tmp_path):
    data = (samples / "wos_tab/wos_tab_delimited_win_utf8.txt").read_bytes()
    lines = data.split(b"\n")
    lines[4] = lines[4][:20] + b"\xff\xfe\x80" + lines[4][20:]
    path = _write(tmp_path, "junk.txt", b"\n".join(lines))
    with pytest.raises(ReviewflowError, match=r"junk\.txt:5: bytes that are not UTF-8"):
        read_export(path)


def test_truncated_utf16_is_an_error(samples, tmp_path):
    data = (samples / "wos_tab/wos_tab_delimited_win_utf16.txt").read_bytes()
    path = _write(tmp_path, "cut16.txt", data[:-1])
    with pytest.raises(
        ReviewflowError,
        match=r"cut16\.txt:\d+: the file ends in the middle of a character.*truncated",
    ):
        read_export(path)


def test_unclosed_quote_is_an_error(samples, tmp_path):
    text = read_text(samples / "embase_csv/embase.csv")
    path = _write(tmp_path, "cut.csv", text[: len(text) // 2])
    with pytest.raises(ReviewflowError, match=r"cut\.csv:\d+: "):
        read_export(path)


def test_header_only_csv_has_no_records(samples, tmp_path):
    header = read_text(samples / "cochrane/_baseline_cochrane.csv").split("\n", 1)[0]
    path = _write(tmp_path, "empty.csv", header + "\n")
    with pytest.raises(ReviewflowError, match=r"empty\.csv: no records found"):
        read_export(path)


def test_truncated_bibtex_is_an_error(samples, tmp_path):
    text = read_text(samples / "wos_bibtex/wos_m.bib")
    path = _write(tmp_path, "cut.bib", text[: text.rindex("Unique-ID")])
    with pytest.raises(ReviewflowError, match=r"cut\.bib:\d+: last BibTeX entry is not closed"):
        read_export(path)


def test_bibtex_garbage_names_its_line(tmp_path):
    text = (
        "@article{a,\n title = {One},\n year = "
        "{2020}\n}\n@article{b,\n title = {Two},\n !!! junk\n}\n"
    )
    path = _write(tmp_path, "junk.bib", text)
    with pytest.raises(ReviewflowError, match=r"junk\.bib:7: malformed BibTeX entry"):
        read_export(path)


def test_bibtex_odd_but_valid_syntax(tmp_path):
    text = (
        "@comment{exported {by} hand}\n"
        '@Article{k1, title = "Quoted", author = {M{\\"u}ller, Hans '
        "and {\\'E}mile Zola}, year = 1999,\n"
        " month = jul}\n"
        "@inproceedings{ k2 ,title={A {COVID}-19 \\& {[}x] study},year={2021},}\n"
    )
    frame = read_export(_write(tmp_path, "odd.bib", text))
    assert frame["title"].tolist() == ["Quoted", "A COVID-19 & [x] study"]
    assert frame.iloc[0]["authors"] == ["Müller, Hans", "Zola, Émile"]
    assert frame["year"].tolist() == [1999, 2021]


HEADERS = {
    "wos": "PT\tAU\tTI\tPY\tUT\n",
    "scopus": '"Authors","Title","Year","DOI","EID"\n',
    "embase": '"Title","Author Names","Source"\n',
    "cochrane": "CENTRAL ID,Author(s),Title,Year\n",
    "bibtex": "@article{key,\n",
}


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(sorted(HEADERS)),
    body=st.text(alphabet=st.sampled_from('\t,"{}@=\n aZ9;-\\\r\x00'), max_size=80),
)
def test_any_body_reads_or_fails_clearly(tmp_path, kind, body):
    path = _write(tmp_path, "fuzz.txt", HEADERS[kind] + body)
    try:
        frame = read_export(path)
    except ReviewflowError:
        return
    assert list(frame.columns) == COLUMNS and len(frame) >= 1


SCOPUS_HEADER = '"Authors","Title","Year","Source title","DOI","References","EID"\n'


def test_scopus_csv_with_a_10_mb_references_cell_is_read(tmp_path):
    references = "; ".join(f"Author{i} A., Cited work {i}, Journal (2001)" for i in range(250_000))[
        :10_000_000
    ]
    text = (
        SCOPUS_HEADER
        + f'"Ng A.","A large record","2020","J One","10.1/a","{references}","2-s2.0-1"\n'
        + '"Li B.","A small record","2021","J Two","10.1/b","","2-s2.0-2"\n'
    )
    frame = read_export(_write(tmp_path, "scopus_refs.csv", text))
    assert frame["title"].tolist() == ["A large record", "A small record"]
    assert frame["year"].tolist() == [2020, 2021]


@pytest.mark.parametrize(
    "header, first, second",
    [
        ('"Authors","Title","Year","Title","EID"\n', 2, 4),
        ('"Authors","Title","Year","EID","Year "\n', 3, 5),  # names are compared stripped
    ],
)
def test_header_naming_a_read_column_twice_is_an_error(tmp_path, header, first, second):
    path = _write(tmp_path, "twice.csv", header + '"Ng A.","T","2020","2-s2.0-1","x"\n')
    name = header.split(",")[second - 1].strip('"\n ')
    with pytest.raises(
        ReviewflowError,
        match=rf"twice\.csv:1: columns {first} and {second} are both called '{name}'",
    ):
        read_export(path)


def test_workbook_naming_a_read_column_twice_is_an_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Title", "Author Names", "Publication Year", "Title"])
    book.active.append(["A title", "Ng A.", "2020", "Another title"])
    path = tmp_path / "twice.xlsx"
    book.save(path)
    with pytest.raises(
        ReviewflowError, match=r"twice\.xlsx:1: columns 1 and 4 are both called 'Title'"
    ):
        read_export(path)
