"""Quirk variants, bad input, RIS round trip and fuzzing of the tagged readers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.cli import cli
from reviewflow.errors import ReviewflowError
from reviewflow.exchange import ris_writer
from reviewflow.ingest import fields, read_export
from reviewflow.records import (
    COLUMNS,
    PUBLICATION_TYPES,
    make_record_id,
    read_csv,
    to_frame,
    write_csv,
)

# One sample per tagged format / RIS flavour.
SAMPLES = [
    "pubmed_medline/mcda_pubmed.txt",
    "ovid_embase_tagged/Embase_endnote_r3001-3002.cgi",
    "ovid_ris/ovid_psycinfo.ris",
    "embase_ris/embase.ris",
    "cochrane/_baseline_cochrane_endnote.ris",
    "wos_tagged/WoS_other_reference_software_r4001-4012.txt",
    "wos_ris/WoS_79.ris",
    "scopus_ris/_baseline_scopus.ris",
]

BOM = "\ufeff".encode()


def normal_text(data: bytes) -> str:
    """The sample as plain LF text without BOM, whatever it came with."""
    return data.removeprefix(BOM).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


VARIANTS = {
    "lf": lambda t: t.encode(),
    "no_final_newline": lambda t: t.rstrip("\n").encode(),
    "bom": lambda t: BOM + t.encode(),
    "crlf": lambda t: t.replace("\n", "\r\n").encode(),
    "cr_only": lambda t: t.replace("\n", "\r").encode(),
    "bom_cr_no_final_newline": lambda t: BOM + t.rstrip("\n").replace("\n", "\r").encode(),
}


@pytest.mark.parametrize("sample", SAMPLES)
def test_line_break_bom_and_final_newline_variants_read_identically(samples, tmp_path, sample):
    original = samples / sample
    expected = read_export(original, name="sample")
    text = normal_text(original.read_bytes())
    for variant, make in VARIANTS.items():
        path = tmp_path / f"{variant}-{original.name}"
        path.write_bytes(make(text))
        pd.testing.assert_frame_equal(read_export(path, name="sample"), expected, obj=variant)


# --- bad input -----------------------------------------------------------------


def error_for(tmp_path: Path, data: bytes, name: str = "export.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReviewflowError) as info:
        read_export(path)
    message = str(info.value)
    assert str(path) in message
    return message


def sample_text(samples, sample: str) -> str:
    return normal_text((samples / sample).read_bytes())


def test_empty_and_blank_files(tmp_path):
    assert "empty" in error_for(tmp_path, b"")
    assert "empty" in error_for(tmp_path, b"\n \r\n\t\n")
    assert "empty" in error_for(tmp_path, BOM + b"\n")


def test_unknown_format_and_binary_junk(tmp_path):
    assert "unknown export format" in error_for(tmp_path, b"Dear reviewer,\nplease find attached\n")
    assert "binary" in error_for(tmp_path, b"TY  - JOUR\nTI  - x\x00\x01\nER  - \n")
    assert ":2:" in error_for(tmp_path, b"TY  - JOUR\nTI  - x\x00\x01\nER  - \n")
    assert "XLSX" in error_for(tmp_path, b"PK\x03\x04" + bytes(range(256)))


def test_undecodable_bytes_name_the_line(samples, tmp_path):
    lines = sample_text(samples, "scopus_ris/Scopus_ris_example.ris").encode().split(b"\n")
    lines[4] += b" caf\xe9"  # Latin-1 in a UTF-8 file, line 5
    message = error_for(tmp_path, b"\n".join(lines))
    assert ":5:" in message and "UTF-8" in message
    # Which bytes, and what to do about a file in another encoding.
    assert "(0xE9)" in message and "export it again as UTF-8" in message


def test_a_binary_file_is_named_binary_not_an_encoding_problem(tmp_path):
    # A program or PDF saved under an export's name: NUL bytes before the first undecodable one.
    message = error_for(tmp_path, b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\xff\xfe\x03\x00")
    assert "binary content" in message and "encoding" not in message


def test_ris_without_final_er_is_truncated(samples, tmp_path):
    text = sample_text(samples, "scopus_ris/Scopus_ris_example.ris")
    cut = text[: text.rindex("ER  -")]
    assert "truncated" in error_for(tmp_path, cut.encode())
    # Cut in the middle of the last record too.
    assert "truncated" in error_for(tmp_path, text[: len(text) - 500].encode())


def test_ris_structure_errors_name_the_line(tmp_path):
    missing_er = b"TY  - JOUR\nTI  - one\n\nTY  - JOUR\nTI  - two\nER  - \n"
    message = error_for(tmp_path, missing_er)
    assert ":4:" in message and "no ER" in message
    orphan = b"TY  - JOUR\nTI  - one\nER  - \n\nTI  - orphan\nER  - \n"
    assert ":5:" in error_for(tmp_path, orphan)


def test_record_lines_count_only_at_a_line_start(tmp_path):
    # The first record opens the file; "TY  - " and "ER  - " inside a value are text.
    text = (
        "TY  - JOUR\nTI  - Coding ER  - and TY  - lines\nER  - \n\n\n"
        "TY  - JOUR\nTI  - two\nAB  - see TY  - above\nER  - \n"
    )
    path = tmp_path / "inline.ris"
    path.write_text(text)
    records = read_export(path)
    # (values are read with their whitespace collapsed)
    assert records["title"].tolist() == ["Coding ER - and TY - lines", "two"]
    assert records["abstract"].tolist() == ["", "see TY - above"]


def test_medline_cut_mid_record(samples, tmp_path):
    text = sample_text(samples, "pubmed_medline/PubMed_example.txt")
    last = text.rindex("PMID- ")
    message = error_for(tmp_path, text[: last + 400].encode())
    assert "truncated" in message and "record 3" in message
    assert "unknown export format" in error_for(tmp_path, ("junk line\n" + text).encode())
    damaged = text.replace("\nPMID- 30868313", "\nPMID-30868313")  # record 2 runs into record 1
    assert "two records" in error_for(tmp_path, damaged.encode())


def test_wos_cut_mid_record_or_without_ef(samples, tmp_path):
    text = sample_text(samples, "wos_tagged/WoS_txt_example.txt")
    last = text.rindex("\nPT ")
    message = error_for(tmp_path, text[: last + 300].encode())
    assert "truncated" in message and "record 4" in message
    assert "EF" in error_for(tmp_path, text[: text.rindex("EF")].encode())
    stray = text.replace("ER\n\nPT J", "ER\n\nstray words\nPT J", 1)
    line = stray.split("\n").index("stray words") + 1
    assert f":{line}: text between records" in error_for(tmp_path, stray.encode())


def test_ovid_tagged_problems(samples, tmp_path):
    text = sample_text(samples, "ovid_embase_tagged/Embase_citavi_r3001-3002.ovd")
    assert "no fields" in error_for(tmp_path, (text + "\n<3003. >\n").encode())
    assert "unknown export format" in error_for(tmp_path, ("stray\n" + text).encode())
    assert "two UI" in error_for(tmp_path, text.replace("<3002. >", "").encode())


# --- properties ----------------------------------------------------------------

# Normalised records never hold control characters (read_text refuses them).
_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40).map(fields.clean)
_word = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=12)
_author = st.builds(lambda s, g: fields.author(f"{s}, {g}"), _word, _word)
_sources = st.sampled_from(
    [
        ("", ""),
        ("MEDLINE", "123"),
        ("Embase", "L2029880245"),
        ("Cochrane CENTRAL", "CN-00778158"),
        ("Web of Science", "WOS:000282053100002"),
        ("Scopus", "2-s2.0-85079532227"),
        ("ERIC", "EJ389705"),
    ]
)
_pages = st.one_of(
    st.just(("", "")),
    st.tuples(st.integers(1, 99999).map(str), st.just("")),
    st.integers(1, 9999).flatmap(
        lambda a: st.tuples(st.just(str(a)), st.integers(a, a + 500).map(str))
    ),
    st.tuples(st.integers(1, 99999).map(lambda n: f"e{n}"), st.just("")),
)


@st.composite
def records(draw):
    db, source_id = draw(_sources)
    start, end = draw(_pages)
    return {
        "source_db": db,
        "source_id": source_id,
        "title": draw(_text),
        "authors": draw(st.lists(_author, max_size=4)),
        "year": draw(st.none() | st.integers(1500, 2099)),
        "journal": draw(_text),
        "journal_abbrev": draw(_text),
        "volume": draw(_text),
        "issue": draw(_text),
        **fields.page_fields(start, end),
        "doi": draw(
            st.from_regex(r"10\.[0-9]{4,9}/[a-z0-9._;()/:-]{1,20}", fullmatch=True).map(fields.doi)
            | st.just("")
        ),
        "pmid": draw(st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True) | st.just("")),
        "issn": draw(
            st.from_regex(r"[0-9]{7}[0-9X]", fullmatch=True).map(fields.issn) | st.just("")
        ),
        "isbn": draw(st.from_regex(r"97[89][0-9]{10}", fullmatch=True) | st.just("")),
        "language": draw(_text.map(fields.language)),
        "publication_type": draw(st.sampled_from(("",) + PUBLICATION_TYPES)),
        "abstract": draw(_text),
        "keywords": draw(st.lists(_text.filter(bool), max_size=4)),
        "notes": draw(_text),
    }


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(records(), min_size=1, max_size=5))
def test_ris_dump_then_read_gives_the_same_records(rows):
    for index, row in enumerate(rows, start=1):
        row.update(
            source_file="pending.ris",
            source_index=index,
            record_id=make_record_id("pending.ris", index),
        )
    frame = to_frame(rows)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pending.ris"
        path.write_text(ris_writer.dump(frame), encoding="utf-8")
        back = read_export(path, name="pending.ris")
    pd.testing.assert_frame_equal(back, frame)


@pytest.mark.parametrize("sample", SAMPLES)
def test_real_records_survive_csv_and_ris_dump(samples, tmp_path, sample):
    """pending.ris path: records table -> CSV -> RIS -> read again, unchanged."""
    original = read_export(samples / sample, name="x")
    write_csv(original, tmp_path / "records.csv")
    (tmp_path / "pending.ris").write_text(
        ris_writer.dump(read_csv(tmp_path / "records.csv")), encoding="utf-8"
    )
    pd.testing.assert_frame_equal(read_export(tmp_path / "pending.ris", name="x"), original)


def test_dump_takes_a_partial_table_with_joined_lists(tmp_path):
    works = pd.DataFrame(
        {
            "title": ["A study"],
            "authors": ["Doe, Jane; Roe, R"],
            "year": [2020],
            "doi": ["10.1234/x"],
        }
    )
    (tmp_path / "w.ris").write_text(ris_writer.dump(works), encoding="utf-8")
    back = read_export(tmp_path / "w.ris").iloc[0]
    assert (back["title"], back["authors"], back["year"], back["doi"]) == (
        "A study",
        ["Doe, Jane", "Roe, R"],
        2020,
        "10.1234/x",
    )


def _never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "input.txt"
        path.write_bytes(data)
        try:
            frame = read_export(path)
        except ReviewflowError:
            return
        assert list(frame.columns) == COLUMNS and len(frame) > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_raise_only_reviewflow_errors(data):
    _never_crashes(data)


_LINES = st.sampled_from(
    [
        "TY  - JOUR",
        "ER  - ",
        "ER  -",
        "TI  - a title",
        "AU  - Doe, J",
        "PY  - 2020",
        "NL  - abbrev",
        "1.",
        "",
        "PMID- 123",
        "FAU - Doe, Jane",
        "DP  - 2020 Jan",
        "SO  - J. 2020",
        "      continued",
        "LID - 10.1/x [doi]",
        "FN Clarivate",
        "VR 1.0",
        "PT J",
        "AU Doe, J",
        "   Roe, R",
        "ER",
        "EF",
        "UT WOS:1",
        "<1. >",
        "UI  - 9",
        "Record #1 of 2",
        "TY  -  JOUR",
        "   indented",
        "@article{x,",
        "SP  - 12",
        "EP  - 3",
    ]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_tag_shaped_garbage_raises_only_reviewflow_errors(lines, newline, bom):
    _never_crashes((BOM if bom else b"") + newline.join(lines).encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(SAMPLES), cut=st.floats(0, 1))
def test_samples_cut_anywhere_raise_only_reviewflow_errors(samples, sample, cut):
    data = (samples / sample).read_bytes()
    _never_crashes(data[: int(len(data) * cut)])


# --- command line ---------------------------------------------------------------


def test_cli_ingest_prints_per_file_counts(shared, tmp_path):
    files = [
        shared / "samples" / s for s in ("pubmed_medline/PubMed_example.txt", "wos_ris/WoS_79.ris")
    ]
    out = tmp_path / "records.csv"
    result = CliRunner().invoke(cli, ["ingest", *map(str, files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{files[0]}: 3 records" in result.output
    assert f"{files[1]}: 79 records" in result.output
    table = read_csv(out)
    assert len(table) == 82
    assert table["record_id"].is_unique
    assert set(table["source_db"]) == {"MEDLINE", "Web of Science"}


def test_cli_ingest_truncated_file_exits_2(samples, tmp_path):
    text = sample_text(samples, "wos_ris/_baseline_webofscience.ris")
    bad = tmp_path / "cut.ris"
    bad.write_text(text[: text.rindex("ER  -")])
    result = CliRunner().invoke(cli, ["ingest", str(bad), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "cut.ris" in result.output and "truncated" in result.output


def test_every_detected_format_has_a_parser():
    from reviewflow.ingest import _parser, detect, formats

    assert {name for name, _ in detect.FORMATS} == set(formats())
    assert all(callable(_parser(name)) for name in formats())


# --- files that are not text exports: say what they are ------------------------------

SMALL_RIS = (
    "TY  - JOUR\nTI  - Intravenous immunoglobulin in systemic sclerosis\nPY  - 2020\nER  - \n"
)


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, says",
    [
        (__import__("gzip").compress(SMALL_RIS.encode(), mtime=0), "gzip-compressed file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
        (
            _zip({"embase.ris": SMALL_RIS.encode(), "medline.nbib": b"PMID- 1\n"}),
            "ZIP archive (holding embase.ris, medline.nbib)",
        ),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "Word document"),
    ],
    ids=["gzip", "pdf", "zip", "docx"],
)
def test_a_non_text_file_named_ris_is_said_to_be_what_it_is(tmp_path, data, says):
    message = error_for(tmp_path, data, name="export.ris")
    assert says in message and "UTF-8" not in message and "Windows-1252" not in message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_like_utf8(tmp_path, encoding):
    expected = read_export(_write_bytes(tmp_path / "utf8.ris", SMALL_RIS.encode()), name="x")
    found = read_export(
        _write_bytes(tmp_path / "utf16.ris", SMALL_RIS.replace("\n", "\r\n").encode(encoding)),
        name="x",
    )
    pd.testing.assert_frame_equal(found, expected)


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- what a PubMed record needs: a PMID; SO in every record or in none ---------------

MEDLINE_RECORD = "PMID- {pmid}\nTI  - Title {pmid}.\nDP  - 2020 Jan\nSO  - J Test. 2020;1:1-2.\n\n"


def test_pubmed_file_of_pmid_only_records_is_read(tmp_path):
    path = _write_bytes(
        tmp_path / "pmids.nbib", b"PMID- 30868313\n\nPMID- 31234567\n\nPMID- 29876543\n"
    )
    frame = read_export(path)
    assert frame["pmid"].tolist() == ["30868313", "31234567", "29876543"]
    assert frame["source_db"].tolist() == ["MEDLINE"] * 3


def test_pubmed_record_without_so_among_records_with_it_is_named(tmp_path):
    records = [MEDLINE_RECORD.format(pmid=p) for p in ("11", "22", "33")]
    records[1] = records[1].replace("SO  - J Test. 2020;1:1-2.\n", "")
    message = error_for(tmp_path, "".join(records).encode(), name="mixed.nbib")
    assert ":6:" in message and "record 2" in message and "no SO line" in message
