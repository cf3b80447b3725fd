"""Decision files as spreadsheets save them: Excel in a European locale, UTF-16, the
to_screen workbook itself filled in, a partly screened sheet."""

from __future__ import annotations

import logging

import pytest
from openpyxl import load_workbook
from screening_fixtures import clusters, records, rounds, works

from reviewflow.errors import ReviewflowError
from reviewflow.exchange import export
from reviewflow.screening import decisions
from reviewflow.screening.ledger import ledger_base


@pytest.fixture(scope="module")
def index():
    return decisions.build_index(ledger_base(records(), clusters(), works(), rounds()))


@pytest.fixture
def to_screen(tmp_path):
    path = tmp_path / "works.csv"
    works().to_csv(path, index=False)
    return export.load_works(path)


def test_excel_european_csv_bom_crlf_semicolons(tmp_path, index):
    path = tmp_path / "ta.csv"
    text = (
        "id;decision;reason;reviewer\r\n111;exclude;Wrong population, "
        "children only;SK\r\nL003;include;;SK\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    loaded = decisions.load_title_abstract(path, index)
    assert loaded["c1"].values["reason"] == "Wrong population, children only"
    assert loaded["c5"].values["decision"] == "include"


def test_utf16_tab_separated_file(tmp_path, index):
    path = tmp_path / "ta.csv"
    path.write_bytes(
        "id\tdecision\treason\treviewer\r\n111\texclude\tZu jung; Kinder\tSK\r\n".encode("utf-16")
    )
    assert decisions.load_title_abstract(path, index)["c1"].values["reason"] == "Zu jung; Kinder"


def test_latin1_file_gets_the_exports_encoding_message(tmp_path, index):
    path = tmp_path / "ta.csv"
    data = "id;decision;reason;reviewer\n111;exclude;Population âgée;SK\n".encode("latin-1")
    path.write_bytes(data)
    with pytest.raises(ReviewflowError) as info:
        decisions.load_title_abstract(path, index)
    message = str(info.value)
    assert (
        "ta.csv:2:" in message
        and f"at byte {data.index(0xE2)} (0xE2)" in message
        and "iconv -f windows-1252 -t utf-8" in message
    )


def test_filled_in_to_screen_xlsx_is_a_decision_file(tmp_path, index, to_screen, caplog):
    sheet_path = tmp_path / "to_screen.xlsx"
    export.write(to_screen, "xlsx", sheet_path)
    wb = load_workbook(sheet_path)
    ws = wb.active
    keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    decided = {keys[0]: ("exclude", "=Off topic"), keys[2]: ("include", "")}
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value in decided:
            decision, reason = decided[ws.cell(row=r, column=1).value]
            ws.cell(row=r, column=2).value = decision
            ws.cell(row=r, column=3).value = reason or None
            ws.cell(row=r, column=3).data_type = "s"
    wb.save(sheet_path)
    with caplog.at_level(logging.WARNING):
        rows = decisions.read_rows(sheet_path, decisions.TITLE_ABSTRACT_COLUMNS)
    assert {r.values["id"]: (r.values["decision"], r.values["reason"]) for r in rows} == decided
    assert "columns title, authors, year" in caplog.text and "ignored" in caplog.text
    loaded = decisions.load_title_abstract(sheet_path, index)
    assert len(loaded) == 2  # the other works stay pending


def test_partly_screened_to_screen_csv(tmp_path, index, to_screen):
    sheet_path = tmp_path / "to_screen.csv"
    export.write(to_screen, "csv", sheet_path)
    lines = sheet_path.read_text().splitlines()
    first_key = lines[1].split(",", 1)[0]
    lines[1] = lines[1].replace(f"{first_key},,,", f"{first_key},include,,AB", 1)
    sheet_path.write_text("\n".join(lines) + "\n")
    rows = decisions.read_rows(sheet_path, decisions.TITLE_ABSTRACT_COLUMNS)
    assert [(r.line, r.values["id"], r.values["decision"], r.values["reviewer"]) for r in rows] == [
        (2, first_key, "include", "AB")
    ]


def test_a_stray_cell_past_the_header_is_still_an_error(tmp_path, index):
    path = tmp_path / "ta.csv"
    path.write_text("id,decision,reason,reviewer\n111,exclude,Wrong population, children,SK\n")
    with pytest.raises(ReviewflowError, match="line 2: 5 fields, the header has 4"):
        decisions.load_title_abstract(path, index)
