"""Every register sample in ../shared/samples, read with its SOURCES.txt record count and facts."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from reviewflow.ingest import read_export
from reviewflow.ingest.detect import detect_format, read_text

CTGOV_CSV = "ctgov_modern/ctg-studies__Marc-Morcos_urology.csv"
CTGOV_ZIP = "ctgov_modern/ctg-studies.json__Marc-Morcos_urology.zip"
CLASSIC = "ctgov_classic/SearchResults__nih-fmrif_PET_count_2018.csv"
ICTRP_XML = "who_ictrp/ICTRP-Results(1)__machado-t_2024.xml"
ICTRP_CSV = "who_ictrp/COVID19-927-trials_7Apr2020__ebmdatalab.csv"
EUCTR = "eu_ctr/sample_error_trials_euctr__ctrdata_2023_full-format.txt"
CENTRAL = "cochrane_central_registers/Cochrane__ferenci-tamas_favipiravir.ris"


@pytest.fixture(scope="module")
def samples(shared):
    return {name: read_export(shared / "samples" / name, name=name) for name in
            (CTGOV_CSV, CTGOV_ZIP, CLASSIC, ICTRP_XML, ICTRP_CSV, EUCTR, CENTRAL)}  # fmt: skip


def row(frame: pd.DataFrame, source_id: str) -> pd.Series:
    return frame.set_index("source_id").loc[source_id]


@pytest.mark.parametrize("name, count", [
    (CTGOV_CSV, 635), (CTGOV_ZIP, 635), (CLASSIC, 1048), (ICTRP_XML, 95), (ICTRP_CSV, 927),
    (EUCTR, 10), (CENTRAL, 172),
])  # fmt: skip
def test_every_register_sample_reads_with_its_record_count(samples, name, count):
    frame = samples[name]
    assert len(frame) == count
    assert frame["title"].ne("").all()
    if name != CENTRAL:
        assert frame["register_ids"].map(len).gt(0).all()  # every register record has its own ID
        assert frame["year"].notna().all()


@pytest.mark.parametrize("name, fmt", [
    (CTGOV_CSV, "ctgov_csv"), (CLASSIC, "ctgov_classic"), (ICTRP_XML, "ictrp_xml"),
    (ICTRP_CSV, "ictrp_csv"),
    (EUCTR, "euctr_text"),
])  # fmt: skip
def test_register_samples_are_detected_from_their_content(shared, tmp_path, name, fmt):
    anonymous = tmp_path / "export.dat"
    anonymous.write_bytes((shared / "samples" / name).read_bytes())
    assert detect_format(read_text(anonymous), anonymous) == fmt


def test_modern_csv_and_json_zip_hold_the_same_635_trials(samples):
    csv_ids, json_ids = samples[CTGOV_CSV]["source_id"], samples[CTGOV_ZIP]["source_id"]
    assert csv_ids.is_unique and set(csv_ids) == set(json_ids)
    assert samples[CTGOV_CSV]["title"].tolist() == samples[CTGOV_ZIP]["title"].tolist()


def test_modern_ctgov_spot_checks(samples):
    first = row(samples[CTGOV_CSV], "NCT06600893")
    assert first["title"].startswith(
        "Sham-Controlled Prospective Study Characterizing Erectile Tissue"
    )
    assert first["authors"] == ["San Diego Sexual Medicine"]
    assert "First posted: 2024-09-19" in first["notes"]  # all the CSV gives
    json_first = row(samples[CTGOV_ZIP], "NCT06600893")
    assert "Registered: 2024-09-14" in json_first["notes"]  # studyFirstSubmitDate
    assert "First posted: 2024-09-19" in json_first["notes"]
    assert "Urogold 100\u2122" in json_first["notes"]  # the official title
    text = samples[CTGOV_ZIP][["title", "abstract", "keywords"]].astype(str).to_string()
    assert "\\<" not in text and "\\>" not in text and "\\[" not in text  # Markdown escapes undone


def test_classic_ctgov_spot_checks(samples):
    frame = samples[CLASSIC]
    glioma = row(frame, "NCT01801371")
    assert glioma["title"] == "68Ga-BNOTA-PRGD2 PET/CT in Diagnosis and Evaluation of Glioma"
    assert glioma["year"] == 2013 and "First posted: 2013-02-28" in glioma["notes"]
    assert not frame.astype(str).apply(lambda col: col.str.contains("null|\u00a0")).any().any()


def test_ictrp_xml_spot_checks(samples):
    frame = samples[ICTRP_XML]
    # SOURCES.txt: the source registers of the 95 trials.
    assert Counter(frame["journal"]) == {
        "ClinicalTrials.gov": 47, "EU Clinical Trials Register": 28, "JPRN": 9,
        "German Clinical Trials Register": 6, "NL-OMON": 2,
        "Clinical Trials Information System": 1, "ChiCTR": 1, "CRIS": 1,
    }  # fmt: skip
    first = row(frame, "NCT06360289")
    assert first["title"].startswith(
        "Observational Study of Neurofilament Light Chain (NfL) as a Biomarker"
    )
    assert "Registered: 2024-04-08" in first["notes"]
    assert not frame["title"].str.contains(r"\s$|\n").any()  # padded values trimmed
    assert row(frame, "EUCTR2021-000037-14-PL")["register_ids"] == [
        "EUCTR2021-000037-14",
        "NCT04973137",
    ]


def test_ictrp_csv_spot_checks(samples):
    frame = samples[ICTRP_CSV]
    assert (
        Counter(frame["journal"])["ChiCTR"] == 581
        and Counter(frame["journal"])["ClinicalTrials.gov"] == 286
    )
    first = row(frame, "NCT04246242")
    assert first["title"].startswith(
        "A Randomized Multicenter Controlled Clinical Trial of Arbidol"
    )
    assert "Registered: 2020-01-27" in first["notes"]  # "27/01/2020", day first
    assert set(frame["year"]) <= set(range(2010, 2021))


def test_euctr_spot_checks(samples):
    frame = samples[EUCTR]
    assert Counter(i for ids in frame["register_ids"] for i in ids) == {
        "EUCTR2021-002179-21": 7,
        "EUCTR2022-002568-62": 3,
    }
    # One record per block, named by its member state (the EU CTR lists Sweden and Poland twice).
    assert frame["source_id"].tolist() == [
        "2022-002568-62-ES", "2022-002568-62-SE", "2022-002568-62-SE", "2021-002179-21-FR",
        "2021-002179-21-ES", "2021-002179-21-GR", "2021-002179-21-PL", "2021-002179-21-PL",
        "2021-002179-21-PT", "2021-002179-21-HU",
    ]  # fmt: skip


def test_central_register_records_carry_their_ids(samples):
    frame = samples[CENTRAL]
    ids = [i for row_ids in frame["register_ids"] for i in row_ids]
    assert sum(i.startswith("NCT") for i in ids) == 49  # "CTgov NCT..." in C3
    assert len(ids) == 49 + 57  # and "ICTRP ..."
    assert all("\u2010" not in i for i in ids)
    assert (frame["publication_type"] == "trial registration").sum() == 107


def test_one_trial_from_several_registers_shares_its_register_id(samples):
    """ICTRP republishes register records: CENTRAL's ICTRP copies and ICTRP's own
    CSV name the same trials, and ICTRP's ClinicalTrials.gov and EU CTR records
    of one trial list each other."""

    def ids(name):
        return {i for row_ids in samples[name]["register_ids"] for i in row_ids}

    assert {"CHICTR2000029544", "JRCTS041190120"} <= ids(CENTRAL) & ids(ICTRP_CSV)
    xml = samples[ICTRP_XML]
    assert "EUCTR2018-003519-24" in row(xml, "NCT03862807")["register_ids"]
    assert row(xml, "EUCTR2018-003519-24-GB")["register_ids"][0] == "EUCTR2018-003519-24"
