"""The register-ID normaliser, and damaged register downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fixtures import DATA as TEST_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import read_export
from reviewflow.ingest.register_record import iso_date
from reviewflow.ingest.trial_ids import find, find_each, is_register_id, own_id
from reviewflow.records import COLUMNS

DATA = TEST_DATA / "registers"


FORMS = [
    ("CTgov NCT05417997", ["NCT05417997"]),  # CENTRAL C3
    ("ClinicalTrials.gov/NCT00000102", ["NCT00000102"]),  # MEDLINE SI
    ("ICTRP EUCTR2020\u2010002728\u201035\u2010HU", ["EUCTR2020-002728-35"]),  # Wiley's U+2010
    # a hyphen lost
    ("ICTRP EUCTR2020\u2010002728\u201035\ufffd\ufffd\ufffdDE", ["EUCTR2020-002728-35"]),
    ("EudraCT/2004-000123-45", ["EUCTR2004-000123-45"]),  # the bare EudraCT number
    ("EUCTR2011-005236-25-3RD", ["EUCTR2011-005236-25"]),  # outside the EEA
    ("CTIS2023-507385-11-00", ["CTIS2023-507385-11-00"]),
    ("2023-507385-11-00", ["CTIS2023-507385-11-00"]),  # the bare EU CT number
    ("JPRN-jRCT2080221636", ["JRCT2080221636"]),
    ("ICTRP jRCTs041190120", ["JRCTS041190120"]),
    ("JPRN-UMIN000027045", ["UMIN000027045"]),
    ("JPRN-JapicCTI-111678", ["JAPICCTI-111678"]),
    ("ISRCTN/ISRCTN12345678", ["ISRCTN12345678"]),
    ("ACTRN12620000445976", ["ACTRN12620000445976"]),
    ("ChiCTR2000029544; ChiCTR-TRC-12002345", ["CHICTR2000029544", "CHICTR-TRC-12002345"]),
    ("DRKS00030545", ["DRKS00030545"]),
    ("IRCT20190706044111N26", ["IRCT20190706044111N26"]),
    ("CTRI/CTRI/2020/04/024775", ["CTRI/2020/04/024775"]),
    ("KCT0000379", ["KCT0000379"]),
    ("TCTR20220427005", ["TCTR20220427005"]),
    ("PACTR202006537901307", ["PACTR202006537901307"]),
    ("RBR\u20106x5q8y", ["RBR-6X5Q8Y"]),
    ("NL-OMON55279", ["NL-OMON55279"]),
    ("NTR1234 NL7890", ["NTR1234", "NL7890"]),
    # full width
    ("\uff2e\uff23\uff34\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17", ["NCT01234567"]),
    ("NEOD001301;NCT04973137;146070;2021-000037-14-DK", ["NCT04973137", "EUCTR2021-000037-14"]),
    ("NCT01234567, nct01234567", ["NCT01234567"]),  # each ID once
]  # fmt: skip


@pytest.mark.parametrize("text, expected", FORMS)
def test_register_ids_are_found_in_every_form_and_written_one_way(text, expected):
    assert find(text) == expected


def test_many_texts_searched_at_once_give_what_each_gives_alone():
    # find_each picks the texts to search with a cheaper pattern: it must admit every form.
    texts = [f"Registered as {text} in 2020." for text, _ in FORMS] + ["No register here.", ""]
    assert find_each(texts) == [expected for _, expected in FORMS] + [[], []]


@pytest.mark.parametrize("text", [
    "NCT012345678",  # nine digits
    "XNCT01234567",
    "NL12345.078.15",  # a Dutch ethics-committee (CCMO) number
    "2019-08-05",  # a date
    "PUBMED 34176716,EMBASE 2013267276",
    "10.6084/m9.figshare.23749107",
])  # fmt: skip
def test_other_numbers_are_no_register_ids(text):
    assert find(text) == []


def test_a_register_entry_keeps_its_own_id_even_in_a_form_the_table_lacks():
    assert own_id("JPRN-jRCTs041190120") == "JRCTS041190120"
    assert own_id("HKUCTR\u20102974") == "HKUCTR-2974"


def test_a_whole_cell_that_is_a_register_id_is_recognised():
    assert is_register_id("NCT05417997,") and is_register_id("ICTRP jRCTs041190120") is False
    assert not is_register_id("Smith, J")


# --- damaged register files ---------------------------------------------------------

FIXTURES = sorted(p.name for p in DATA.iterdir() if p.name != "README.md")


@st.composite
def damaged(draw):
    """A register fixture cut short, with a span deleted or repeated, or with bytes put in."""
    data = (DATA / draw(st.sampled_from(FIXTURES))).read_bytes()
    at = draw(st.integers(0, len(data)))
    end = draw(st.integers(at, min(len(data), at + 2000)))
    junk = draw(
        st.binary(max_size=40)
        | st.sampled_from([b"<", b"</Trial>", b'"', b"\n", b",", b"{", b"Summary\n"])
    )
    how = draw(st.sampled_from(["truncate", "delete", "repeat", "insert"]))
    return {
        "truncate": data[:at],
        "delete": data[:at] + data[end:],
        "repeat": data[:end] + data[at:],
        "insert": data[:at] + junk + data[at:],
    }[how]


@pytest.mark.slow
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged())
def test_damaged_register_files_raise_only_reviewflow_errors(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "download"
        path.write_bytes(data)
        try:
            frame = read_export(path)
        except ReviewflowError as exc:
            assert str(exc).startswith(str(path))  # the message names the file
            return
        assert list(frame.columns) == COLUMNS and len(frame) > 0


@pytest.mark.parametrize("value, day_first, expected", [
    ("2004-09", False, "2004-09"),  # ClinicalTrials.gov: as precise as known
    ("2019-08-05", False, "2019-08-05"),
    ("20240408", True, "2024-04-08"),  # ICTRP Date_registration3
    ("08/04/2024", True, "2024-04-08"),  # ICTRP Date_registration: day first
    ("4/7/2020", False, "2020-04-07"),  # a US export: month first
    ("February 28, 2013", False, "2013-02-28"),  # ClinicalTrials.gov classic
    ("October 2012", False, "2012-10"),
    ("20 May 2024", True, "2024-05-20"),
    ("31/02/2020", True, ""),  # no calendar date
    ("null", False, ""),
])  # fmt: skip
def test_register_dates_in_every_order_become_iso(value, day_first, expected):
    assert iso_date(value, day_first) == expected
