"""Format detection from content, for every sample folder (all nine formats)."""

from __future__ import annotations

import pytest

from reviewflow.ingest.detect import FORMATS, detect_format, read_text

EXPECTED = {
    "pubmed_medline": "medline",
    "ovid_ris": "ris",
    "ovid_embase_tagged": "ovid_tagged",
    "embase_ris": "ris",
    "embase_csv/*.csv": "embase_csv",
    "cochrane/*.ris": "ris",
    "cochrane/*.csv": "cochrane_csv",
    "wos_tagged": "wos_tagged",
    "wos_tab": "wos_tab",
    "wos_ris": "ris",
    "wos_bibtex": "bibtex",
    "scopus_ris": "ris",
    "scopus_csv": "scopus_csv",
    "scopus_bibtex": "bibtex",
    "cross_db_citesource_valid": "ris",
}


def test_the_table_names_every_format_once():
    names = [name for name, _ in FORMATS]
    assert sorted(names) == sorted(
        [
            "medline",
            "ris",
            "ovid_tagged",
            "wos_tagged",
            "wos_tab",
            "scopus_csv",
            "embase_csv",
            "cochrane_csv",
            "bibtex",
            "ctgov_csv",
            "ctgov_classic",
            "ctgov_json",
            "ictrp_xml",
            "ictrp_csv",
            "euctr_text",
        ]
    )


@pytest.mark.parametrize("pattern", sorted(EXPECTED))
def test_every_sample_is_detected_from_its_content_not_its_name(samples, tmp_path, pattern):
    folder, _, glob = pattern.partition("/")
    files = [p for p in (samples / folder).glob(glob or "*") if p.name != "SOURCES.txt"]
    assert files
    for path in files:
        # Renamed to a meaningless name: only the content can tell.
        anonymous = tmp_path / "export.dat"
        anonymous.write_bytes(path.read_bytes())
        assert detect_format(read_text(anonymous), anonymous) == EXPECTED[pattern], path.name


def test_utf16_export_decodes_like_its_utf8_twin(samples):
    folder = samples / "wos_tab"
    assert read_text(folder / "wos_tab_delimited_win_utf16.txt") == read_text(
        folder / "wos_tab_delimited_win_utf8.txt"
    )
