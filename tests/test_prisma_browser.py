"""The interactive flow diagram in a real headless Chromium: click a box, read the list."""

from __future__ import annotations

import json

import pytest
from cdp import Browser, find_chromium
from review_fixture import make_review

from reviewflow.prisma.outputs import write_prisma

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); the browser test needs it",
)

PER_DB = {"MEDLINE": 9, "Embase": 12, "Scopus": 7}
PLAN = [
    ("excluded_screening", 6, "Not about the topic", None),
    ("not_retrieved", 1, None, None),
    ("excluded_full_text", 2, "Not in English", None),
    ("excluded_full_text", 1, "No measurable outcome", None),
    ("included", 2, None, "Alpha 2020"),
    ("included", 1, None, "Beta 2021"),
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    review = make_review(root, PER_DB, PLAN)
    out = root / "results/prisma"
    write_prisma(
        root / "results/audit/ledger.csv", out / "counts.json", root / "config/config.yaml", out
    )
    browser = Browser(CHROMIUM)
    try:
        browser.open((out / "flow_diagram.html").as_uri())
        yield browser, review, out
    finally:
        browser.close()


def centre_of(browser, key):
    rect = browser.evaluate(
        f"JSON.stringify(document.getElementById('box-{key}').getBoundingClientRect())"
    )
    rect = json.loads(rect)
    return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2


def listed_rows(browser):
    return json.loads(
        browser.evaluate(
            "JSON.stringify([...document.querySelectorAll('#records tbody tr')]"
            ".map(tr => [...tr.children].map(td => td.textContent)))"
        )
    )


def test_clicking_reports_excluded_lists_exactly_those_reports(page):
    browser, review, out = page
    assert browser.evaluate("document.getElementById('records').hidden") is True
    browser.click(*centre_of(browser, "dbr_excluded"))
    rows = listed_rows(browser)
    ledger = review["ledger"]
    expected = ledger[ledger["status"] == "excluded_full_text"]
    assert len(rows) == review["counts"]["dbr_assessed"] - review["counts"]["new_reports"] == 3
    assert sorted(r[0] for r in rows) == sorted(expected["title"])
    assert sorted(r[5] for r in rows) == [
        "No measurable outcome",
        "Not in English",
        "Not in English",
    ]
    assert all("Excluded at full text" in r[4] for r in rows)
    # the IDs column names the record and its database ID
    for row, rec in zip(
        sorted(rows), sorted(expected.to_dict("records"), key=lambda r: r["title"])
    ):
        assert rec["record_id"] in row[3] and rec["source_id"] in row[3]
    assert (
        browser.evaluate("document.getElementById('records-title').textContent")
        == "Reports excluded (n = 3)"
    )
    (out / "browser_screenshot.png").write_bytes(browser.screenshot())


def test_clicking_identification_lists_every_record(page):
    browser, review, _ = page
    browser.click(*centre_of(browser, "database_results"))
    rows = listed_rows(browser)
    assert len(rows) == sum(PER_DB.values()) == len(review["ledger"])
    assert (
        browser.evaluate("document.getElementById('records-count').textContent")
        == "28 of 28 records"
    )
    # the filter narrows the list
    browser.evaluate(
        "const f = document.getElementById('filter'); f.value = 'Scopus';"
        "f.dispatchEvent(new Event('input'))"
    )
    assert 0 < len(listed_rows(browser)) < len(rows)


def test_clicking_included_lists_included_reports(page):
    browser, review, _ = page
    browser.click(*centre_of(browser, "new_studies"))
    rows = listed_rows(browser)
    assert len(rows) == review["counts"]["new_reports"] == 3
    assert all(r[4].startswith("Included") for r in rows)
