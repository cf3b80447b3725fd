"""Empty records in tagged exports (a record with nothing but its frame, e.g. RIS TY and ER):
counted, since the database exported them, and reported with their lines."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from reviewflow.ingest import read_export

RIS = (
    "TY  - JOUR\nTI  - A real record\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nER  - \n\n"  # line 6: nothing but TY and ER
    "TY  - GEN\nTI  - \nAU  -  \nER  - \n\n"  # line 9: tags without values are no content
    "TY  - JOUR\nID  - 123\nER  - \n"  # an identifier is content
)
WOS = (
    "FN Clarivate Analytics Web of Science\nVR 1.0\n"
    "PT J\nAU Smith, J\nTI A title\nPY 2020\nUT WOS:000000000000001\nER\n\n"
    "PT J\nER\n\n"  # line 10
    "PT J\nCR Jones A, 2001, J TEST, V1, P1\nER\n\n"  # cited references only: not empty
    "EF\n"
)
OVID = (
    "<1. >\nDB  - Embase\nTI  - A title\nYR  - 2020\n\n"
    "<2. >\n\n"  # line 6: a header and nothing after it, in the middle of the file
    "<3. >\nDB  - Embase\nTI  - Another title\nYR  - 2021\n"
)


def empty_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "empty record" in r.getMessage()
    ]


@pytest.mark.parametrize(
    "name, text, count, lines",
    [
        ("export.ris", RIS, 4, "at lines 6, 9"),
        ("export.txt", WOS, 3, "at line 10"),
        ("export.ovd", OVID, 3, "at line 6"),
    ],
)
def test_empty_records_are_counted_and_reported_with_their_lines(
    tmp_path, caplog, name, text, count, lines
):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        frame = read_export(path)
    assert len(frame) == count
    [message] = empty_warnings(caplog)
    assert str(path) in message and lines in message
    assert f": {len(lines.split(','))} empty record" in message


def test_a_file_without_empty_records_reports_none(samples, caplog):
    with caplog.at_level(logging.WARNING):
        read_export(samples / "scopus_ris" / "scopus.ris")
        read_export(samples / "wos_tagged" / "WoS_txt_example.txt")
    assert empty_warnings(caplog) == []


def test_the_command_line_shows_the_warning_on_stderr(tmp_path):
    path = tmp_path / "export.ris"
    path.write_text(RIS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "reviewflow", "ingest", str(path), "--out", str(tmp_path / "r.csv")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "2 empty records" in done.stderr and "at lines 6, 9" in done.stderr
    assert f"{path}: 4 records" in done.stderr
