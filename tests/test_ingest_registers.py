"""Trial-register downloads read into records, on records cut from the real samples
(tests/data/registers/README.md), so these run without ../shared."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures import DATA as TEST_DATA

from reviewflow.errors import ReviewflowError
from reviewflow.exchange import ris_writer
from reviewflow.ingest import read_export
from reviewflow.ingest.detect import detect_format, read_text
from reviewflow.records import COLUMNS, read_csv, write_csv

DATA = TEST_DATA / "registers"


def read(name: str, directory: Path = DATA) -> pd.DataFrame:
    return read_export(directory / name, name=name)


def by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["source_id"]: row for _, row in frame.iterrows()}


# --- detection -------------------------------------------------------------------


@pytest.mark.parametrize("name, fmt", [
    ("ctg-studies.csv", "ctgov_csv"),
    ("SearchResults.csv", "ctgov_classic"),
    ("ICTRP-Results.xml", "ictrp_xml"),
    ("COVID19-trials.csv", "ictrp_csv"),
    ("trials-full.txt", "euctr_text"),
])  # fmt: skip
def test_register_downloads_are_detected_from_their_content(tmp_path, name, fmt):
    anonymous = tmp_path / "export.dat"
    anonymous.write_bytes((DATA / name).read_bytes())
    assert detect_format(read_text(anonymous), anonymous) == fmt


def test_the_json_zip_is_read_as_studies_not_taken_for_a_workbook(tmp_path):
    anonymous = tmp_path / "export.dat"
    anonymous.write_bytes((DATA / "ctg-studies.json.zip").read_bytes())
    frame = read_export(anonymous)
    assert frame["source_id"].tolist() == [
        "NCT06600893",
        "NCT05385822",
        "NCT06433596",
        "NCT05231083",
        "NCT03699943",
    ]


def test_a_zip_of_other_files_is_refused_naming_what_it_holds(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a study")
    with pytest.raises(ReviewflowError, match=r"ZIP archive \(holding notes.txt\)"):
        read_export(path)


# --- each reader on its fixture ----------------------------------------------------

# file -> (records, source_db, {source_id: (title starts, year, register_ids)})
EXPECTED = {
    "ctg-studies.csv": (5, "ClinicalTrials.gov", {
        "NCT06600893": ("Sham-Controlled Prospective Study Characterizing", 2024,
                        ["NCT06600893"]),
        "NCT06433596": ("Autologous PRP and Focal Shock Waves", 2024,
                        ["NCT06433596", "EUCTR2022-002985-34"]),
    }),
    "ctg-studies.json.zip": (5, "ClinicalTrials.gov", {
        "NCT06600893": ("Sham-Controlled Prospective Study Characterizing", 2024,
                        ["NCT06600893"]),
        # submitted 2021-12-31
        "NCT05231083": ("Genital Nerves Stimulation", 2021, ["NCT05231083"]),
    }),
    "SearchResults.csv": (4, "ClinicalTrials.gov", {
        "NCT03582254": ("Role of [18F]-FDG Brain PET", 2018,
                        ["NCT03582254", "EUCTR2014-002597-37"]),
        "NCT01801371": ("68Ga-BNOTA-PRGD2 PET/CT", 2013, ["NCT01801371"]),
    }),
    "ICTRP-Results.xml": (5, "WHO ICTRP", {
        "NCT06360289": ("Observational Study of Neurofilament Light Chain", 2024,
                        ["NCT06360289"]),
        "CTIS2023-507385-11-00": ("Long-Term Follow-Up of Subjects Treated With NTLA-2001", 2024,
                                  ["CTIS2023-507385-11-00", "EUCTR2022-003405-30", "NCT05697861"]),
        "JPRN-jRCT2080221636": ("The Effect Of Tafamidis", 2011,
                                ["JRCT2080221636", "JAPICCTI-111678"]),
    }),
    "COVID19-trials.csv": (4, "WHO ICTRP", {
        "NCT04246242": ("A Randomized Multicenter Controlled Clinical Trial of Arbidol", 2020,
                        ["NCT04246242"]),
        "JPRN-jRCTs041190120": ("Favipiravir for SARS-CoV-infected patients", 2020,
                                ["JRCTS041190120"]),
        "EUCTR2015-002340-14-NL": ("Adaptive trial in severe pneumonia (REMAP-CAP)", 2015,
                                   ["EUCTR2015-002340-14"]),
    }),
    "trials-full.txt": (3, "EU Clinical Trials Register", {
        "2022-002568-62-ES": ("A study to test whether AVB-101 is both safe", 2023,
                              ["EUCTR2022-002568-62"]),
        "2021-002179-21-FR": ("A phase 3 study to evaluate the safety and efficacy of masitinib",
                              2022, ["EUCTR2021-002179-21"]),
    }),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_register_fixture_reads_with_its_ids_titles_and_years(name):
    count, source_db, spots = EXPECTED[name]
    frame = read(name)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == count
    assert set(frame["source_db"]) == {source_db}
    assert set(frame["publication_type"]) == {"trial registration"}
    rows = by_id(frame)
    for source_id, (title, year, register_ids) in spots.items():
        assert rows[source_id]["title"].startswith(title), source_id
        assert rows[source_id]["year"] == year, source_id
        assert rows[source_id]["register_ids"] == register_ids, source_id


def test_a_register_record_has_sponsors_as_authors_and_conditions_and_interventions_as_keywords():
    row = by_id(read("ctg-studies.csv"))["NCT06433596"]
    assert row["authors"] == [
        "Elexial Research Limited",
        "Boston Medical Group",
    ]  # sponsor, then collaborator
    assert "Erectile Dysfunction" in row["keywords"]
    # The intervention's type ("DRUG: ") is no part of its name.
    assert not any(re.match(r"(?i)(drug|device|biological|procedure):", k) for k in row["keywords"])
    assert (
        "Status: Recruiting" in row["notes"]
        and "URL: https://clinicaltrials.gov/study/NCT06433596" in row["notes"]
    )
    assert "Other IDs: PRP-SW-03" in row["notes"]
    # The modern site's enumerations read like the classic site's and ICTRP's words.
    assert "Status: Not yet recruiting" in by_id(read("ctg-studies.csv"))["NCT05231083"]["notes"]


def test_modern_csv_and_json_of_one_search_give_the_same_trials():
    csv_rows, json_rows = read("ctg-studies.csv"), read("ctg-studies.json.zip")
    for column in ("source_id", "title", "authors", "register_ids"):
        assert csv_rows[column].tolist() == json_rows[column].tolist(), column


def test_json_keeps_the_official_title_and_reads_the_summary_without_markdown_escapes():
    row = by_id(read("ctg-studies.json.zip"))["NCT03699943"]
    assert row["abstract"] and "\\" not in row["abstract"]
    assert ">18 year" in row["abstract"]  # "\>18" in the download
    assert "Scientific title: " in row["notes"]


def test_single_json_file_and_api_page_read_like_the_zip(tmp_path):
    with zipfile.ZipFile(DATA / "ctg-studies.json.zip") as archive:
        studies = [json.loads(archive.read(info)) for info in archive.infolist()]
    expected = read("ctg-studies.json.zip").drop(columns=["source_file", "record_id"])
    for name, data in (
        ("ctg-studies.json", studies),
        ("page.json", {"studies": studies, "nextPageToken": "x"}),
    ):
        (tmp_path / name).write_text(json.dumps(data, indent=2))
        frame = read_export(tmp_path / name).drop(columns=["source_file", "record_id"])
        pd.testing.assert_frame_equal(frame, expected, obj=name)


def test_modern_csv_with_summary_column_and_spaced_separators_reads_the_same(tmp_path):
    """The 30-column download (Brief Summary kept) and " | " between values."""
    frame = pd.read_csv(DATA / "ctg-studies.csv", dtype=str, keep_default_na=False)
    frame.insert(5, "Brief Summary", "A summary with a \\<escape\\>.")
    for column in ("Conditions", "Interventions", "Sponsor", "Collaborators", "Other IDs"):
        frame[column] = frame[column].str.replace("|", " | ", regex=False)
    frame.to_csv(tmp_path / "ctg-studies.csv", index=False)
    wide, narrow = read("ctg-studies.csv", tmp_path), read("ctg-studies.csv")
    assert set(wide["abstract"]) == {"A summary with a <escape>."}
    for column in ("authors", "keywords", "register_ids", "notes", "year"):
        assert wide[column].tolist() == narrow[column].tolist(), column


def test_classic_csv_drops_null_and_no_break_spaces_and_reads_us_dates():
    frame = read("SearchResults.csv")
    text = frame.astype(str).to_string()
    assert "null" not in text and "\u00a0" not in text
    assert "First posted: 2013-02-28" in by_id(frame)["NCT01801371"]["notes"]  # "February 28, 2013"


def test_classic_tsv_reads_like_the_csv(tmp_path):
    frame = pd.read_csv(DATA / "SearchResults.csv", dtype=str, keep_default_na=False)
    lines = ["\t".join(frame.columns)] + ["\t".join(row) for row in frame.itertuples(index=False)]
    (tmp_path / "SearchResults.tsv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    tsv = read_export(tmp_path / "SearchResults.tsv", name="x")
    pd.testing.assert_frame_equal(tsv, read_export(DATA / "SearchResults.csv", name="x"))


def test_ictrp_xml_values_are_trimmed_and_dates_read_in_either_field(tmp_path):
    frame = read("ICTRP-Results.xml")
    row = by_id(frame)["NCT06360289"]
    assert row["title"] == row["title"].strip() and "\n" not in row["title"]
    assert (
        "Registered: 2024-04-08" in row["notes"]
    )  # Date_registration3 20240408 = Date_registration 08/04/2024
    # Without Date_registration3 the day-first Date_registration gives the same date.
    text = (DATA / "ICTRP-Results.xml").read_text(encoding="utf-8")
    (tmp_path / "x.xml").write_text(
        re.sub(r"<Date_registration3>.*?</Date_registration3>", "", text, flags=re.S)
    )
    assert read("x.xml", tmp_path)["notes"].tolist() == frame["notes"].tolist()


def test_ictrp_csv_with_bare_crs_inside_fields_reads_each_trial_once(tmp_path):
    data = (DATA / "COVID19-trials.csv").read_bytes()
    assert re.search(rb"\r(?!\n)", data)  # the quirk is in the fixture
    frame = read("COVID19-trials.csv")
    (tmp_path / "lf.csv").write_bytes(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    assert (
        read("lf.csv", tmp_path)
        .drop(columns=["source_file", "record_id"])
        .equals(frame.drop(columns=["source_file", "record_id"]))
    )


def test_euctr_reads_the_english_fields_once_per_member_state():
    frame = read("trials-full.txt")
    spain, sweden = by_id(frame)["2022-002568-62-ES"], by_id(frame)["2022-002568-62-SE"]
    assert spain["title"] == sweden["title"]  # the Spanish block's "(es)" translations are not read
    assert spain["register_ids"] == sweden["register_ids"] == ["EUCTR2022-002568-62"]
    assert spain["authors"] == ["AviadoBio Ltd"]
    assert spain["abstract"].startswith("To evaluate the safety and tolerability")


# --- register IDs in the other readers ----------------------------------------------


def test_central_register_records_carry_their_register_ids_with_hyphens_folded():
    rows = by_id(read("central.ris"))
    assert rows["CN-02187032"]["register_ids"] == [
        "EUCTR2020-002728-35"
    ]  # "ICTRP EUCTR2020‐002728‐35‐HU"
    assert rows["CN-02422950"]["register_ids"] == ["NCT05417997"]  # "CTgov NCT05417997"
    assert rows["CN-02422950"]["publication_type"] == "trial registration"
    assert rows["CN-02422950"]["authors"] == []  # CENTRAL's "A1 - NCT05417997," is no person
    assert rows["CN-02294877"]["register_ids"] == []  # "PUBMED 34176716,EMBASE 2013267276"
    assert rows["CN-02294877"]["publication_type"] == "journal article"


def test_medline_si_cochrane_csv_and_embase_csv_trial_numbers_become_register_ids(tmp_path):
    (tmp_path / "m.nbib").write_text(
        "PMID- 12345678\nTI  - A trial.\nSI  - "
        "ClinicalTrials.gov/NCT01234567\nSI  - "
        "ISRCTN/ISRCTN12345678\n"
        "SI  - Dryad/10.5061/dryad.0cfxpnw24\nSO  - J. 2020;1:1.\n"
    )
    assert read("m.nbib", tmp_path)["register_ids"].tolist() == [["NCT01234567", "ISRCTN12345678"]]
    (tmp_path / "c.csv").write_text(
        "CENTRAL ID,Title,CTgov ID,ICTRP ID\nCN-01,A "
        "trial,NCT01234567,EUCTR2004\u2010000123\u201045\u2010DE\n"
    )
    assert read("c.csv", tmp_path)["register_ids"].tolist() == [
        ["NCT01234567", "EUCTR2004-000123-45"]
    ]
    (tmp_path / "e.csv").write_text(
        'Title,Author Names,Clinical Trial Numbers\nA trial,"Doe '
        'J.","ClinicalTrials.gov (NCT01234567), '
        'ChiCTR (ChiCTR2000029544)"\n'
    )
    assert read("e.csv", tmp_path)["register_ids"].tolist() == [["NCT01234567", "CHICTR2000029544"]]


# --- one trial, several registers ---------------------------------------------------


def test_one_trial_from_two_registers_carries_one_register_id():
    ictrp = by_id(read("ICTRP-Results.xml"))
    # ICTRP republishes it from ClinicalTrials.gov and from the EU CTR.
    assert "EUCTR2018-003519-24" in ictrp["NCT03862807"]["register_ids"]
    assert ictrp["EUCTR2018-003519-24-GB"]["register_ids"] == ["EUCTR2018-003519-24"]
    # CENTRAL's "ICTRP jRCTs041190120" and ICTRP's own "JPRN-jRCTs041190120".
    central = by_id(read("central.ris"))
    covid = by_id(read("COVID19-trials.csv"))
    assert central["CN-02172482"]["register_ids"] == covid["JPRN-jRCTs041190120"]["register_ids"]
    assert central["CN-02165512"]["register_ids"] == covid["ChiCTR2000029544"]["register_ids"]


def test_clinicaltrials_gov_and_ictrp_records_of_one_trial_share_its_ids(tmp_path):
    """ICTRP's copy of a ClinicalTrials.gov trial (made here in the portal's XML
    layout, padding and old ct2 URL included) and of its EU CTR record."""
    ctgov = by_id(read("ctg-studies.csv"))["NCT06433596"]
    trials = "".join(
        f"<Trial><TrialID>{trial_id}\n    "
        f"</TrialID><Public_title>{ctgov['title']}\n    "
        "</Public_title>"
        "<Date_registration>29/05/2024\n    "
        f"</Date_registration><web_address>{url}\n    </web_address>"
        f"<Secondary_ID>{secondary}\n    </Secondary_ID></Trial>"
        for trial_id, url, secondary in (
            (
                "NCT06433596",
                "https://clinicaltrials.gov/ct2/show/NCT06433596",
                "PRP-SW-03;2022-002985-34",
            ),
            (
                "EUCTR2022-002985-34-ES",
                "https://www.clinicaltrialsregister.eu/",
                "PRP-SW-03;NCT06433596",
            ),
        )
    )
    root = "Trials_downloaded_from_ICTRP"
    (tmp_path / "ictrp.xml").write_text(
        f"<?xml version='1.0' encoding='UTF-8' ?>\n<{root}>{trials}</{root}>"
    )
    copies = read("ictrp.xml", tmp_path)
    assert copies["register_ids"].tolist() == [
        ["NCT06433596", "EUCTR2022-002985-34"],
        ["EUCTR2022-002985-34", "NCT06433596"],
    ]
    assert set(copies["register_ids"][0]) == set(ctgov["register_ids"])
    assert copies["year"].tolist() == [ctgov["year"]] * 2


# --- tables and RIS keep register IDs -------------------------------------------------


def test_register_ids_survive_the_records_table_and_ris(tmp_path):
    frame = pd.concat([read("ICTRP-Results.xml"), read("central.ris")], ignore_index=True)
    write_csv(frame, tmp_path / "records.csv")
    back = read_csv(tmp_path / "records.csv")
    assert back["register_ids"].tolist() == frame["register_ids"].tolist()
    (tmp_path / "pending.ris").write_text(ris_writer.dump(back), encoding="utf-8")
    assert (
        read_export(tmp_path / "pending.ris")["register_ids"].tolist()
        == frame["register_ids"].tolist()
    )


# --- damaged files -----------------------------------------------------------------


def test_xml_with_a_dtd_is_refused_before_parsing(tmp_path):
    (tmp_path / "x.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Trials [<!ENTITY a "aaaaaaaaaa">]>\n'
        "<Trials_downloaded_from_ICTRP><Trial><TrialID>&a;</TrialID></Trial></Trials_downloaded_from_ICTRP>"
    )
    with pytest.raises(ReviewflowError, match=r"x\.xml:2: .*DTD"):
        read_export(tmp_path / "x.xml")


def test_truncated_xml_names_its_line(tmp_path):
    text = (DATA / "ICTRP-Results.xml").read_text(encoding="utf-8")
    (tmp_path / "x.xml").write_text(text[: len(text) // 2])
    with pytest.raises(ReviewflowError, match=r"x\.xml:\d+: malformed XML"):
        read_export(tmp_path / "x.xml")


def test_a_trial_without_its_id_names_the_element_and_line(tmp_path):
    text = (DATA / "ICTRP-Results.xml").read_text(encoding="utf-8")
    second = [m.start() for m in re.finditer("<TrialID>", text)][1]
    damaged = text[:second] + re.sub(
        r"<TrialID>.*?</TrialID>", "", text[second:], count=1, flags=re.S
    )
    (tmp_path / "x.xml").write_text(damaged)
    line = damaged.count("\n", 0, [m.start() for m in re.finditer("<Trial>", damaged)][1]) + 1
    with pytest.raises(ReviewflowError, match=rf"x\.xml:{line}: <Trial> 2 has no TrialID"):
        read_export(tmp_path / "x.xml")


def test_damaged_json_names_the_line_or_the_zip_member(tmp_path):
    (tmp_path / "s.json").write_text(
        '[\n{"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}},\n{'
    )
    with pytest.raises(ReviewflowError, match=r"s\.json:3: malformed JSON"):
        read_export(tmp_path / "s.json")
    with zipfile.ZipFile(tmp_path / "s.zip", "w") as archive:
        archive.writestr(
            "NCT01234567.json",
            '{"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}}',
        )
        archive.writestr("NCT07654321.json", '{"protocolSection": ')
    with pytest.raises(ReviewflowError, match=r"s\.zip: malformed JSON in NCT07654321\.json"):
        read_export(tmp_path / "s.zip")


def test_a_json_study_without_its_nct_id_is_named(tmp_path):
    (tmp_path / "s.json").write_text(
        '[{"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}},'
        ' {"protocolSection": {"identificationModule": {}}, "nctId": "x"}]'
    )
    with pytest.raises(
        ReviewflowError, match="study 2 has no protocolSection.identificationModule.nctId"
    ):
        read_export(tmp_path / "s.json")


def test_a_truncated_json_zip_is_an_error_not_a_traceback(tmp_path):
    data = (DATA / "ctg-studies.json.zip").read_bytes()
    (tmp_path / "s.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(ReviewflowError):
        read_export(tmp_path / "s.zip")


def test_a_ragged_register_csv_row_names_its_line(tmp_path):
    lines = (DATA / "ctg-studies.csv").read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2] + ",extra"
    (tmp_path / "c.csv").write_text("\n".join(lines))
    with pytest.raises(
        ReviewflowError, match=r"c\.csv:3: record 2 has 30 fields but the header names 29"
    ):
        read_export(tmp_path / "c.csv")


def test_euctr_block_with_a_damaged_eudract_number_names_its_line(tmp_path):
    text = (DATA / "trials-full.txt").read_text(encoding="utf-8")
    second = [m.start() for m in re.finditer(r"^EudraCT Number: ", text, re.M)][1]
    damaged = (
        text[:second]
        + "EudraCT Number: 2022-0025"
        + text[second + len("EudraCT Number: 2022-002568-62") :]
    )
    (tmp_path / "t.txt").write_text(damaged)
    line = damaged.count("\n", 0, second)  # the block starts at its "Summary" line, just above
    with pytest.raises(ReviewflowError, match=rf"t\.txt:{line}: EudraCT number '2022-0025'"):
        read_export(tmp_path / "t.txt")


def test_euctr_additional_identifiers_become_register_ids(tmp_path):
    """Section A.5 of the protocol form (absent from the fixture's trials): ISRCTN, NCT and other
    IDs."""
    text = (DATA / "trials-full.txt").read_text(encoding="utf-8")
    a5 = (
        "A.5 Additional study identifiers\n"
        "A.5.1 ISRCTN (International Standard Randomised Controlled Trial) Number: ISRCTN12345678\n"
        "A.5.2 US NCT (ClinicalTrials.gov registry) number: NCT04000000\n"
        "A.5.4 Other Identifiers: Name: Japic Number: JapicCTI-111678\n"
    )
    first = text.index("A.7 ")
    (tmp_path / "t.txt").write_text(text[:first] + a5 + text[first:])
    assert read("t.txt", tmp_path)["register_ids"][0] == [
        "EUCTR2022-002568-62",
        "ISRCTN12345678",
        "NCT04000000",
        "JAPICCTI-111678",
    ]


def test_an_api_page_with_its_count_first_is_still_a_study_list(tmp_path):
    with zipfile.ZipFile(DATA / "ctg-studies.json.zip") as archive:
        studies = [json.loads(archive.read(info)) for info in archive.infolist()]
    (tmp_path / "page.json").write_text(
        json.dumps({"totalCount": len(studies), "studies": studies})
    )
    assert (
        read("page.json", tmp_path)["source_id"].tolist()
        == read("ctg-studies.json.zip")["source_id"].tolist()
    )


def test_euctr_summary_download_reads_one_record_per_trial(tmp_path):
    (tmp_path / "trials.txt").write_text(
        "EudraCT Number: 2004-000123-45\nSponsor Protocol Number: ABC-1\nStart Date*: 2005-03-01\n"
        "Sponsor Name: A Sponsor\nFull Title: A randomised trial "
        "of\n  something\nMedical condition: Asthma\n"
        "Trial protocol: GB(Completed) DE(Completed)\n\n"
        "EudraCT Number: 2005-000456-78\nSponsor Name: B Sponsor\nFull Title: Another trial\n"
    )
    frame = read("trials.txt", tmp_path)
    assert frame["register_ids"].tolist() == [["EUCTR2004-000123-45"], ["EUCTR2005-000456-78"]]
    assert frame["title"].tolist() == ["A randomised trial of something", "Another trial"]
    assert frame["year"].tolist()[0] == 2005 and frame["authors"].tolist()[0] == ["A Sponsor"]
