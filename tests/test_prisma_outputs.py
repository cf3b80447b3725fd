"""Flow diagram, PRISMA.csv and database overlap, on fixture ledgers."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from review_fixture import REFERENCE_PER_DB, REFERENCE_PLAN, make_review

from reviewflow.prisma.boxes import box_rows
from reviewflow.prisma.layout import box_texts, flow_layout
from reviewflow.prisma.outputs import write_prisma
from reviewflow.prisma.template import TEMPLATE, listed, prisma_table, template


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    review = make_review(root, REFERENCE_PER_DB, REFERENCE_PLAN)
    out = root / "results/prisma"
    written = write_prisma(
        root / "results/audit/ledger.csv", out / "counts.json", root / "config/config.yaml", out
    )
    return review, out, written


def test_counts_are_the_reference_reviews(reference):
    c = reference[0]["counts"]
    assert (
        c["database_results"],
        c["duplicates"],
        c["records_screened"],
        c["records_excluded"],
        c["dbr_assessed"],
        sum(c["dbr_excluded"].values()),
        c["new_studies"],
    ) == (1482, 1064, 418, 392, 26, 14, 12)


def test_svg_shows_the_prisma_2020_wording_and_numbers(reference):
    svg = (reference[1] / "flow_diagram.svg").read_text()
    for text in [
        "Identification of studies via databases and registers",
        "Identification",
        "Screening",
        "Included",
        "Records identified from:",
        "Databases (n = 1482)",
        "MEDLINE (n = 301)",
        "Embase (n = 612)",
        "Cochrane CENTRAL (n = 38)",
        "Web of Science (n = 262)",
        "Scopus (n = 269)",
        "Records removed before screening:",
        "Duplicate records removed (n = 1064)",
        "Records removed for other reasons (n = 0)",
        "Records screened (n = 418)",
        "Records excluded (n = 392)",
        "Reports sought for retrieval (n = 26)",
        "Reports not retrieved (n = 0)",
        "Reports assessed for eligibility (n = 26)",
        "Reports excluded:",
        "Not a primary clinical study (n = 5)",
        "No measurable outcome (n = 3)",
        "Studies included in review (n = 12)",
        "Reports of included studies (n = 12)",
    ]:
        assert f">{text}<" in svg, text
    assert "Previous studies" not in svg


def test_outputs_are_byte_for_byte_reproducible(reference, tmp_path):
    review, out, written = reference
    again = write_prisma(
        out.parent / "audit/ledger.csv",
        out / "counts.json",
        review["root"] / "config/config.yaml",
        tmp_path,
    )
    for first, second in zip(written, again):
        assert (
            hashlib.sha256(first.read_bytes()).digest()
            == hashlib.sha256(second.read_bytes()).digest()
        ), first.name


PARTIAL_PLAN = [
    ("excluded_automation", 2, "Published before 2003", None),
    ("excluded_other", 1, "Retracted", None),
    ("pending_screening", 3, None, None),
    ("excluded_screening", 4, "Off topic", None),
    ("not_retrieved", 1, None, None),
    ("pending_full_text", 2, None, None),
    ("excluded_full_text", 2, "Not in English", None),
    ("included", 2, None, "Alpha 2020"),
    ("included", 1, None, "Beta 2021"),
]


@pytest.mark.parametrize("plan", [REFERENCE_PLAN, PARTIAL_PLAN], ids=["reference", "partial"])
def test_every_box_lists_as_many_records_as_it_counts(plan, tmp_path):
    review = make_review(
        tmp_path, {"MEDLINE": 20, "Embase": 12} if plan is PARTIAL_PLAN else REFERENCE_PER_DB, plan
    )
    c, rows = review["counts"], box_rows(review["ledger"], ["original"])
    expected = {
        "database_results": c["database_results"],
        "duplicates": c["duplicates"] + c["excluded_automatic"] + c["excluded_other"],
        "dbr_excluded": sum(c["dbr_excluded"].values()),
        "new_studies": c["new_reports"],
    }
    assert set(rows) == {
        "database_results",
        "duplicates",
        "records_screened",
        "records_excluded",
        "dbr_sought_reports",
        "dbr_notretrieved_reports",
        "dbr_assessed",
        "dbr_excluded",
        "new_studies",
    }
    for key, listed_rows in rows.items():
        assert len(listed_rows) == expected.get(key, c.get(key)), key
    if plan is PARTIAL_PLAN:
        assert (
            c["excluded_automatic"],
            c["excluded_other"],
            c["new_studies"],
            c["new_reports"],
        ) == (2, 1, 2, 3)
        assert c["complete"] is False


def test_updated_review_layout_has_previous_and_total_columns():
    counts = {
        "database_results": 40,
        "database_specific_results": {"MEDLINE": 25, "Embase": 15},
        "duplicates": 10,
        "excluded_automatic": 2,
        "excluded_other": 0,
        "records_screened": 28,
        "records_excluded": 20,
        "dbr_sought_reports": 8,
        "dbr_notretrieved_reports": 1,
        "dbr_assessed": 7,
        "dbr_excluded": {"Not in English": 4},
        "new_studies": 3,
        "new_reports": 3,
        "complete": True,
        "previous_studies": 12,
        "previous_reports": 14,
        "total_studies": 14,
        "total_reports": 17,
        "duplicates_within_round": 6,
        "duplicates_previous_round": 4,
        "previous_reports_excluded": {},
        "new_reports_from_previous_rounds": 0,
    }
    layout = flow_layout(counts, ["MEDLINE", "Embase"])
    boxes = {b.key: b for b in layout.boxes}
    text = {k: " ".join(t for _, t in b.lines) for k, b in boxes.items()}
    assert text["previous_header"] == "Previous studies"
    assert text["header"] == "Identification of new studies via databases and registers"
    assert text["previous_studies"] == (
        "Studies included in previous version of review (n = 12) "
        "Reports of studies included in previous version of review (n = 14)"
    )
    assert (
        text["new_studies"]
        == "New studies included in review (n = 3) Reports of new included studies (n = 3)"
    )
    assert (
        text["total_studies"]
        == "Total studies included in review (n = 14) Reports of total included studies (n = 17)"
    )
    # previous column left of the new one, total under previous, at the included row
    assert boxes["previous_studies"].x < boxes["database_results"].x
    assert boxes["total_studies"].x == boxes["previous_studies"].x
    assert boxes["total_studies"].y + boxes["total_studies"].h / 2 == pytest.approx(
        boxes["new_studies"].y + boxes["new_studies"].h / 2
    )
    # no box overlaps another
    plain = [b for b in layout.boxes if b.kind != "side"]
    for i, a in enumerate(plain):
        for b in plain[i + 1 :]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y, (
                a.key,
                b.key,
            )


def test_databases_listed_in_config_order_with_zero_for_an_empty_search():
    counts = {"database_specific_results": {"Embase": 3, "MEDLINE": 2}, "database_results": 5}
    counts.update(
        dict.fromkeys(
            [
                "duplicates",
                "excluded_automatic",
                "excluded_other",
                "records_screened",
                "records_excluded",
                "dbr_sought_reports",
                "dbr_notretrieved_reports",
                "dbr_assessed",
                "new_studies",
                "new_reports",
            ],
            0,
        ),
        dbr_excluded={},
    )
    lines = [t for _, t in box_texts(counts, ["MEDLINE", "Scopus", "Embase"])["database_results"]]
    assert lines[2:] == ["MEDLINE (n = 2)", "Scopus (n = 0)", "Embase (n = 3)"]


def test_prisma_csv_round_trips_through_the_template(reference):
    review, out, _ = reference
    ours = pd.read_csv(out / "PRISMA.csv", dtype=str, keep_default_na=False)
    theirs = template()
    theirs = theirs[~theirs["data"].str.endswith("_ma")].reset_index(drop=True)
    assert (
        list(ours.columns)
        == list(theirs.columns)
        == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    )
    assert ours["data"].tolist() == theirs["data"].tolist()
    assert ours.drop(columns=["n", "boxtext", "tooltips"]).equals(
        theirs.drop(columns=["n", "boxtext", "tooltips"])
    )
    n = dict(zip(ours["data"], ours["n"]))
    c = review["counts"]
    for key in (
        "database_results",
        "duplicates",
        "records_screened",
        "records_excluded",
        "dbr_sought_reports",
        "dbr_notretrieved_reports",
        "dbr_assessed",
        "new_studies",
        "new_reports",
    ):
        assert int(n[key]) == c[key], key
    parsed = dict(item.rsplit(", ", 1) for item in n["database_specific_results"].split("; "))
    assert {k: int(v) for k, v in parsed.items()} == c["database_specific_results"]
    assert list(parsed) == list(REFERENCE_PER_DB)  # config order
    parsed = dict(item.rsplit(", ", 1) for item in n["dbr_excluded"].split("; "))
    assert {k: int(v) for k, v in parsed.items()} == c["dbr_excluded"]
    # what we do not count keeps the template's n: 0, or its placeholder list
    assert n["register_results"] == n["previous_studies"] == n["total_studies"] == "0"
    assert n["register_specific_results"] == "Register 1, xxx; Register 2, xxx; Register 3, xxx"


def test_template_is_the_prisma2020_packages(shared):
    assert TEMPLATE == (shared / "conventions/PRISMA2020_template.csv").read_text()


def test_commas_and_semicolons_in_names_are_written_full_width():
    assert (
        listed({"Not in English, or French": 2, "Wrong population; children": 1}, "dbr_excluded")
        == "Not in English\uff0c or French, 2; Wrong population\uff1b children, 1"
    )
    counts = {
        "database_results": 1,
        "database_specific_results": {"MEDLINE": 1},
        "dbr_excluded": {},
    }
    n = dict(zip(*prisma_table(counts, ["MEDLINE"])[["data", "n"]].T.values))
    assert n["database_specific_results"] == "MEDLINE, 1"
    assert n["dbr_excluded"] == "0"  # no reasons: the package reads a bare number as the total


def test_database_overlap_table(reference):
    review, out, _ = reference
    table = pd.read_csv(out / "database_overlap.csv", keep_default_na=False)
    ledger = review["ledger"]
    assert table["database"].tolist() == list(REFERENCE_PER_DB)
    assert table.set_index("database")["records"].to_dict() == REFERENCE_PER_DB
    clusters = ledger.groupby("cluster_id")["source_db"].agg(set)
    for row in table.itertuples():
        found = clusters[clusters.map(lambda s: row.database in s)]
        assert row.works == len(found)
        assert row.unique_works == int(found.map(len).eq(1).sum())
        included = ledger[(ledger["status"] == "included") & ledger["cluster_id"].isin(found.index)]
        assert row.included_found == len(included)
        assert row.included == "; ".join(sorted(included["study"]))
    assert (out / "database_overlap.svg").stat().st_size > 0 and (
        out / "database_overlap.png"
    ).stat().st_size > 0


def test_unique_works_counted_when_a_database_alone_finds_them(tmp_path):
    # 6 works; MEDLINE finds all 6, Embase only works 0-1: 4 works are MEDLINE's alone.
    review = make_review(
        tmp_path,
        {"MEDLINE": 6, "Embase": 2},
        [("excluded_screening", 5, "Off topic", None), ("included", 1, None, "Solo 2020")],
    )
    from reviewflow.prisma.overlap import overlap_table

    table = overlap_table(review["ledger"], ["original"], ["MEDLINE", "Embase"]).set_index(
        "database"
    )
    assert table.loc["MEDLINE", "unique_works"] == 4
    assert table.loc["Embase", "unique_works"] == 0
    assert table.loc["MEDLINE", "included"] == "Solo 2020"


def test_outputs_of_a_review_with_no_decisions_yet(tmp_path):
    # A new review's first run: every work pending, nothing included; the overlap table
    # has no included studies to list and the diagram still draws.
    review = make_review(
        tmp_path, {"MEDLINE": 5, "Embase": 3}, [("pending_screening", 5, None, None)]
    )
    out = tmp_path / "results/prisma"
    write_prisma(
        tmp_path / "results/audit/ledger.csv",
        out / "counts.json",
        tmp_path / "config/config.yaml",
        out,
    )
    table = pd.read_csv(out / "database_overlap.csv", keep_default_na=False).set_index("database")
    assert table["included_found"].tolist() == [0, 0] and table["included"].tolist() == ["", ""]
    assert table.loc["MEDLINE", "works"] == 5 and review["counts"]["complete"] is False
    # The diagram says it is unfinished and what it waits for, not only the numbers known so far.
    assert "Incomplete: 5 records await screening" in (out / "flow_diagram.svg").read_text(
        encoding="utf-8"
    )


def test_only_an_unfinished_diagram_says_incomplete(reference, tmp_path):
    assert "Incomplete" not in (reference[1] / "flow_diagram.svg").read_text(encoding="utf-8")
    review = make_review(tmp_path, {"MEDLINE": 20, "Embase": 12}, PARTIAL_PLAN)
    layout = flow_layout(review["counts"], ["MEDLINE", "Embase"])
    notes = [b.lines[0][1] for b in layout.boxes if b.kind == "note"]
    assert notes == ["Incomplete: 3 records await screening, 2 reports await full-text facts"]
    assert max(b.y + b.h for b in layout.boxes) <= layout.height


def test_updated_review_boxes_list_previous_and_total_reports(tmp_path):
    review = make_review(
        tmp_path,
        {"MEDLINE": 6, "Embase": 4},
        [("excluded_screening", 3, "Off topic", None), ("included", 3, None, None)],
        round_name="update",
    )
    new = review["ledger"]
    previous = (
        new[new["is_primary"]]
        .head(2)
        .assign(
            round="original",
            status="previous_included",
            record_id=lambda f: "old:" + f["record_id"],
            work_key=["rf-old1", "rf-old2"],
            study=["Old 2019", "Old 2019"],
            ta_decision="include",
            ta_reason="",
            ft_decision="include",
            ft_reason="",
            automation="",
        )
    )
    ledger = pd.concat([previous, new], ignore_index=True)
    from reviewflow.prisma.counts import counts_from_ledger

    counts = counts_from_ledger(ledger, ["original", "update"])
    rows = box_rows(ledger, ["original", "update"])
    assert (counts["previous_studies"], counts["previous_reports"], counts["total_reports"]) == (
        1,
        2,
        5,
    )
    assert len(rows["previous_studies"]) == counts["previous_reports"]
    assert len(rows["total_studies"]) == counts["total_reports"]
    assert len(rows["database_results"]) == counts["database_results"] == 10
    keys = {b.key for b in flow_layout(counts, ["MEDLINE", "Embase"]).boxes}
    assert set(rows) <= keys


def test_record_text_cannot_break_out_of_the_page(tmp_path):
    review = make_review(
        tmp_path,
        {"MEDLINE": 3},
        [("excluded_screening", 2, "Off topic", None), ("included", 1, None, "A 2020")],
    )
    ledger = review["ledger"].copy()
    ledger.loc[0, "title"] = "</script><script>alert(1)</script>"
    from reviewflow.prisma import draw, html

    layout = flow_layout(review["counts"], ["MEDLINE"])
    page = html.page(layout, draw.svg_element(layout), ledger, ["original"], "<b>T</b>")
    assert "alert(1)" in page and "<script>alert" not in page
    assert "<b>T</b>" not in page
    assert page.count("<script") == 2  # the data block and the page's own script
