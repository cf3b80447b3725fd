"""Tagged-format ingest against the real samples in ../shared/samples.

Record counts come from each folder's SOURCES.txt; the concrete values below
were read off the sample files by eye.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from reviewflow.ingest import read_export
from reviewflow.records import COLUMNS

# Folders (and file patterns) of the tagged formats; CSV/BibTeX/tab-delimited
# samples belong to the tabular tests.
TAGGED = {
    "pubmed_medline": "*",
    "ovid_ris": "*",
    "ovid_embase_tagged": "*",
    "embase_ris": "*.ris",
    "cochrane": "*.ris",
    "wos_tagged": "*",
    "wos_ris": "*",
    "scopus_ris": "*",
    "cross_db_citesource_valid": "*",
}


def sources_counts(folder) -> dict[str, int]:
    """{file name: record count} parsed from a SOURCES.txt."""
    counts, name = {}, None
    for line in (folder / "SOURCES.txt").read_text().splitlines():
        if line and not line[0].isspace():
            name = line.strip()
        elif match := re.match(r"\s+records:\s*(\d+)", line):
            counts[name] = int(match.group(1))
    return counts


def sample_files(samples, folder: str):
    directory = samples / folder
    counts = sources_counts(directory)
    files = sorted(p for p in directory.glob(TAGGED[folder]) if p.name != "SOURCES.txt")
    assert files
    return [(p, counts[p.name]) for p in files]


def read(samples, relative: str) -> pd.DataFrame:
    return read_export(samples / relative)


def same_records(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal normalised fields, ignoring which file they came from."""
    drop = ["record_id", "source_file"]
    pd.testing.assert_frame_equal(a.drop(columns=drop), b.drop(columns=drop))


@pytest.mark.parametrize("folder", sorted(TAGGED))
def test_every_sample_reads_with_its_record_count(samples, folder):
    for path, expected in sample_files(samples, folder):
        frame = read_export(path)
        assert list(frame.columns) == COLUMNS
        assert len(frame) == expected, path.name
        assert list(frame["source_index"]) == list(range(1, expected + 1))
        assert frame["record_id"].is_unique
        # Every record has a title and a year; DOIs are normalised.
        assert (frame["title"] != "").all(), path.name
        assert frame["year"].notna().all(), path.name
        dois = frame["doi"][frame["doi"] != ""]
        assert dois.str.fullmatch(r"10\.\d{4,9}/\S+").all()
        assert (dois == dois.str.lower()).all()
        assert frame["authors"].map(lambda names: all(", " in n for n in names)).all(), path.name


def test_medline_values(samples):
    frame = read(samples, "pubmed_medline/PubMed_example.txt")
    first = frame.iloc[0]
    assert first["pmid"] == first["source_id"] == "28441597"
    assert first["doi"] == "10.1016/j.scitotenv.2017.04.075"
    assert first["year"] == 2017
    assert first["title"].startswith(
        "Differences in nitrate and phosphorus export between wooded "
        "and grassed riparian zones from"
    )
    assert first["pages"] == "188-197"
    assert first["journal_abbrev"] == "Sci Total Environ"
    assert first["source_db"] == "MEDLINE"
    # FAU (full names) wins over AU.
    assert first["authors"][0] == "Neilen, Amanda D"
    # The last record has no final newline.
    last = frame.iloc[-1]
    assert (last["pmid"], last["doi"], last["pages"]) == ("29967742", "10.7717/peerj.5082", "e5082")

    crlf = read(samples, "pubmed_medline/mcda_pubmed.txt").iloc[0]
    assert (crlf["pmid"], crlf["doi"], crlf["year"]) == (
        "36206242",
        "10.1371/journal.pone.0268950",
        2022,
    )
    assert crlf["title"] == "On the Monte Carlo weights in multiple criteria decision analysis."
    # Wrapped lines carry trailing spaces: no double spaces after joining.
    assert "  " not in crlf["abstract"]

    named_ris = read(samples, "pubmed_medline/_baseline_pubmed.ris").iloc[0]
    assert (named_ris["pmid"], named_ris["year"]) == ("30922926", 2020)
    assert named_ris["title"] == "Time lapse: A glimpse into prehistoric genomics."


def test_ovid_ris_values(samples):
    cab = read(samples, "ovid_ris/Ovid_ris_example.ris")
    first = cab.iloc[0]
    assert first["source_id"] == "20203152553"
    assert first["doi"] == "10.4236/ojf.2020.101008"  # given as a dx.doi.org URL
    assert (first["year"], first["pages"]) == (2020, "110-123")
    assert first["authors"][0] == "Holmstrom, E."
    assert first["source_db"] == "Ovid"

    psyc = read(samples, "ovid_ris/ovid_psycinfo.ris").iloc[0]
    assert psyc["doi"] == "10.1002/cpp.2398"
    assert psyc["journal_abbrev"] == "Clin Psychol Psychother"  # NL written after ER
    assert psyc["pages"] == ""  # "SP  - No" / "EP  - Specified"
    assert psyc["publication_type"] == "journal article"  # M3 is a classification code here

    eric = read(samples, "ovid_ris/_baseline_eric_ovid.ris").iloc[0]
    assert (eric["source_db"], eric["source_id"], eric["year"]) == ("ERIC", "EJ389705", 1989)


def test_ovid_embase_tagged_values_and_both_export_styles_agree(samples):
    citavi = read(samples, "ovid_embase_tagged/Embase_citavi_r3001-3002.ovd")
    endnote = read(samples, "ovid_embase_tagged/Embase_endnote_r3001-3002.cgi")
    same_records(citavi, endnote)
    first = citavi.iloc[0]
    assert (first["source_db"], first["source_id"]) == ("Embase", "621381829")
    assert first["doi"] == "10.1186/s12919-018-0099-8"
    assert first["year"] == 2018
    assert first["publication_type"] == "conference abstract"
    assert first["authors"] == ["Behan, L.", "Rubbo, B.", "Lucas, J.S.", "Galvin, A.D."]
    assert (first["journal"], first["volume"], first["issue"]) == (
        "BMC Proceedings",
        "12",
        "Supplement 3",
    )
    # The EndNote style's untagged paragraphs are part of the abstract.
    assert "Conclusion(s): Health-related quality of life decreases" in endnote.iloc[0]["abstract"]


def test_ovid_medline_tagged_uses_ui_as_pmid(tmp_path):
    path = tmp_path / "ovid_medline.txt"
    path.write_text(
        "<1. >\nVN  - Ovid Technologies\nDB  - Ovid MEDLINE(R) ALL\nUI  - 38407106\n"
        "TI  - Time to transfer: long-term effects of a sustained and spiraled\n"
        "      content literacy intervention in the elementary grades.\nAU  - Kim JS\nYR  - 2024\n"
        "SO  - Developmental Psychology. 60 (7) (pp 1279-1297), 2024.\n"
    )
    row = read_export(path).iloc[0]
    assert (row["source_db"], row["source_id"], row["pmid"]) == ("MEDLINE", "38407106", "38407106")
    assert row["title"].endswith("spiraled content literacy intervention in the elementary grades.")
    assert (row["authors"], row["year"]) == (["Kim, JS"], 2024)
    assert (row["journal"], row["volume"], row["issue"], row["pages"]) == (
        "Developmental Psychology",
        "60",
        "7",
        "1279-1297",
    )


def test_embase_ris_values(samples):
    bom = read(samples, "embase_ris/embase.ris")
    first = bom.iloc[0]  # the record right after the BOM
    assert (first["source_db"], first["source_id"]) == ("Embase", "L373791783")
    assert first["doi"] == "10.4103/2303-9027.138783"
    assert (
        first["title"]
        == "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    )
    assert first["authors"] == ["Liu, R.", "Adler, D.G."]
    assert bom.iloc[1]["pmid"] == "15368318"  # C5

    recent = read(samples, "embase_ris/_baseline_embase.ris").iloc[0]
    assert (recent["source_id"], recent["pmid"], recent["doi"]) == (
        "L2029880245",
        "38773066",
        "10.1038/s41467-024-48400-3",
    )
    assert (recent["journal"], recent["journal_abbrev"]) == (
        "Nature Communications",
        "Nat. Commun.",
    )


def test_cochrane_ris_flavours_agree(samples):
    endnote = read(samples, "cochrane/_baseline_cochrane_endnote.ris")
    refman = read(samples, "cochrane/_baseline_cochrane_refman.ris")
    same_records(endnote, refman)
    first = endnote.iloc[0]
    assert (first["source_db"], first["source_id"], first["pmid"]) == (
        "Cochrane CENTRAL",
        "CN-00778158",
        "21314913",
    )
    assert (first["doi"], first["year"]) == ("10.1186/1745-6215-12-39", 2011)
    second = endnote.iloc[1]  # "C3  -  PUBMED 38407106,EMBASE 643589775", pages with U+2010
    assert (second["pmid"], second["pages"], second["page_end"]) == (
        "38407106",
        "1279-1297",
        "1297",
    )


def test_wos_tagged_values(samples):
    txt = read(samples, "wos_tagged/WoS_txt_example.txt")
    first = txt.iloc[0]
    assert first["doi"] == "10.1080/20964129.2020.1722034"
    assert first["title"] == (
        "Soil fauna diversity at different stages of reed restoration "
        "in a lakeshore wetland at Lake Taihu, China"
    )
    assert first["authors"][:2] == [
        "Li, Wei",
        "Dou, Zhiguo",
    ]  # AF-less file: AU lines, one per line
    assert len(first["authors"]) == 10
    assert (first["year"], first["source_db"]) == (2020, "Web of Science")
    last = txt.iloc[-1]
    assert (last["source_id"], last["pmid"]) == ("MEDLINE:31858815", "31858815")
    # The .ciw export is the same format; its first 4 records are the .txt's.
    ciw = read(samples, "wos_tagged/WoS_ciw_example.ciw")
    same_records(ciw.iloc[:4].reset_index(drop=True), txt)

    one = read(samples, "wos_tagged/OnePaper.isi").iloc[0]
    assert (one["source_id"], one["pmid"], one["doi"], one["year"]) == (
        "WOS:000317623000007",
        "23460466",
        "10.1111/tops.12013",
        2013,
    )
    plain = read(samples, "wos_tagged/wos_plaintext.txt")
    assert (
        plain["source_id"].str.fullmatch(r"WOS:[0-9A-Z]{15}").all() and plain["source_id"].is_unique
    )
    early = read(samples, "wos_tagged/wos_sample.txt").iloc[0]  # "DT Article; Early Access"
    assert early["publication_type"] == "journal article"
    assert early["source_id"] == "WOS:001702577900001"


def test_wos_ris_values(samples):
    first = read(samples, "wos_ris/_baseline_webofscience.ris").iloc[0]
    assert (first["source_db"], first["source_id"]) == ("Web of Science", "WOS:000282053100002")
    assert (first["doi"], first["year"], first["pages"]) == (
        "10.1371/journal.pone.0012292",
        2010,
        "e12292",
    )
    # Abstract continuation lines (indented three spaces) are kept.
    assert "Conclusions/Significance:" in first["abstract"]
    bare_cr = read(samples, "wos_ris/WoS_79.ris")
    assert bare_cr.iloc[0]["doi"] == "10.1017/s071498081800017x"  # lower-cased
    # "WE ...\rAN  - WOS:..." : the bare CR still starts a new tag line.
    assert bare_cr["source_id"].str.fullmatch(r"WOS:[0-9A-Z]{15}").all()
    assert bare_cr["source_id"].is_unique


def test_scopus_ris_values(samples):
    first = read(samples, "scopus_ris/Scopus_ris_example.ris").iloc[0]
    assert (first["source_db"], first["source_id"]) == ("Scopus", "2-s2.0-85079532227")
    assert (first["doi"], first["issn"], first["pages"]) == (
        "10.1080/20964129.2020.1722034",
        "2096-4129",
        "1722034",
    )
    bom = read(samples, "scopus_ris/_baseline_scopus.ris")
    assert (
        bom.iloc[0]["title"]
        == "Global latitudinal gradients and the evolution of body size in dinosaurs and mammals"
    )
    assert bom.iloc[0]["authors"][0] == "Wilson, L.N."
    assert bom.iloc[1]["pmid"] == "36971057"  # C2
    assert read(samples, "scopus_ris/scopus.ris").iloc[0]["publication_type"] == "review"


def test_cross_database_doi_overlap(shared):
    """SOURCES.txt: the PubMed and WoS exports of one search share 38 DOIs."""
    pubmed = read(shared / "samples", "cross_db_citesource_valid/pubmed_46.ris")
    wos = read(shared / "samples", "wos_ris/WoS_79.ris")
    shared_dois = (set(pubmed["doi"]) - {""}) & (set(wos["doi"]) - {""})
    assert len(shared_dois) == 38


def test_the_same_paper_in_wos_tagged_and_scopus_ris_agrees(samples):
    wos = read(samples, "wos_tagged/WoS_txt_example.txt").iloc[0]
    scopus = read(samples, "scopus_ris/Scopus_ris_example.ris").iloc[0]
    for column in ("doi", "year", "volume", "issue", "pages"):
        assert wos[column] == scopus[column], column
    assert wos["title"].lower() == scopus["title"].lower()
    assert [a.split(",")[0] for a in wos["authors"]] == [a.split(",")[0] for a in scopus["authors"]]
