"""PRISMA.csv as the PRISMA2020 R package reads it (1.1.1 from CRAN and 1.1.4), and the
diagram's number format.

R is not available here, so the package's reading rules are restated from its source
(R/PRISMA_data.R, R/utils.R): each count is ``data[grep(key, data[, 1]), ]$n`` -- 1.1.1
greps "total_studies" and "total_reports" without an anchor -- and a listed n is split at
"; " into items whose name ends at the first "," and whose number follows it.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from reviewflow.prisma.layout import box_texts, flow_layout, format_count
from reviewflow.prisma.outputs import thousands_separator
from reviewflow.prisma.template import prisma_table

# Keys PRISMA_data() looks up in 1.1.1 (grep patterns as that release writes them).
PACKAGE_KEYS = [
    "previous_studies",
    "previous_reports",
    "register_results",
    "database_results",
    "database_specific_results",
    "register_specific_results",
    "website_results",
    "organisation_results",
    "citations_results",
    "duplicates",
    "excluded_automatic",
    "excluded_other",
    "records_screened",
    "records_excluded",
    "dbr_sought_reports",
    "dbr_notretrieved_reports",
    "other_sought_reports",
    "other_notretrieved_reports",
    "dbr_assessed",
    "dbr_excluded",
    "other_assessed",
    "other_excluded",
    "new_studies",
    "new_reports",
    "total_studies",
    "total_reports",
]
LISTED = (
    "database_specific_results",
    "register_specific_results",
    "dbr_excluded",
    "other_excluded",
)

FIRST = {
    "database_results": 1482,
    "database_specific_results": {"MEDLINE": 301, "Embase": 1181},
    "duplicates": 1064,
    "excluded_automatic": 0,
    "excluded_other": 0,
    "records_screened": 418,
    "records_excluded": 392,
    "dbr_sought_reports": 26,
    "dbr_notretrieved_reports": 0,
    "dbr_assessed": 26,
    "dbr_excluded": {
        "Not a primary clinical study": 5,
        "Wrong population; children only": 4,
        "Not in English, or French": 5,
    },
    "new_studies": 12,
    "new_reports": 12,
    "complete": True,
}
UPDATE = dict(
    FIRST,
    previous_studies=12,
    previous_reports=12,
    total_studies=15,
    total_reports=15,
    new_studies=3,
    new_reports=3,
    duplicates_within_round=6,
    duplicates_previous_round=1058,
    previous_reports_excluded={},
    new_reports_from_previous_rounds=0,
)


def parse_reasons(text: str) -> list[tuple[str, int]]:
    """PRISMA_parse_reasons_: split at ';' (and one space), name up to the first ',', number after
    it."""
    if not re.search(r"[^0-9,]", text):
        return [("", int(text.replace(",", "")))]
    items = re.split(r";( )?", text)
    items = [i for i in items if i not in (None, " ")]
    out = []
    for item in items:
        digits = re.sub(r"[^0-9.]", "", item.split(",", 1)[1]) if "," in item else ""
        out.append(
            (re.sub(r",.*$", "", item), int(digits) if digits else None)
        )  # None: NA (the "xxx" placeholder)
    return out


@pytest.mark.parametrize("counts", [FIRST, UPDATE], ids=["first round", "update round"])
def test_every_key_the_package_greps_finds_exactly_one_filled_row(counts):
    table = prisma_table(counts, ["MEDLINE", "Embase"])
    for key in PACKAGE_KEYS:
        rows = table[table["data"].str.contains(key, regex=False)]
        assert len(rows) == 1, key  # 1.1.1: `if (lines > min)` fails on two rows
        n = rows["n"].iloc[0]
        assert n != "", key  # a blank n is NA: the box disappears
        if key in LISTED:
            assert parse_reasons(n), key
        else:
            assert n.isdigit(), (key, n)
    assert not table["data"].str.endswith("_ma").any()


@pytest.mark.parametrize("counts", [FIRST, UPDATE], ids=["first round", "update round"])
def test_listed_names_with_commas_and_semicolons_parse_back_to_the_counts(counts):
    n = dict(zip(*prisma_table(counts, ["MEDLINE", "Embase"])[["data", "n"]].T.values))
    parsed = parse_reasons(n["dbr_excluded"])
    assert [k for _, k in parsed] == [5, 5, 4]
    assert [name for name, _ in parsed] == [
        "Not a primary clinical study",
        "Not in English\uff0c or French",
        "Wrong population\uff1b children only",
    ]
    assert parse_reasons(n["database_specific_results"]) == [("MEDLINE", 301), ("Embase", 1181)]
    assert (
        parse_reasons(n["register_specific_results"])[0][0] == "Register 1"
    )  # the template's placeholder


def test_a_first_round_file_says_studies_where_the_template_says_new_studies():
    first = prisma_table(FIRST, ["MEDLINE"]).set_index("box")["boxtext"]
    assert first["newstud"] == "Identification of studies via databases and registers"
    assert first["othstud"] == "Identification of studies via other methods"
    box10 = prisma_table(FIRST, ["MEDLINE"]).query("box == 'box10'")["boxtext"].tolist()
    assert box10 == ["Studies included in review", "Reports of included studies"]
    update = prisma_table(UPDATE, ["MEDLINE"]).query("box == 'box10'")["boxtext"].tolist()
    assert update == ["New studies included in review", "Reports of new included studies"]


def test_a_comma_in_a_reason_or_database_name_does_not_stop_the_diagram():
    counts = dict(FIRST, database_specific_results={"MEDLINE, via Ovid": 301, "Embase": 1181})
    texts = box_texts(counts, ["MEDLINE, via Ovid", "Embase"])
    assert (1, "MEDLINE, via Ovid (n = 301)") in texts["database_results"]
    assert (1, "Wrong population; children only (n = 4)") in texts["dbr_excluded"]
    n = dict(zip(*prisma_table(counts, ["MEDLINE, via Ovid", "Embase"])[["data", "n"]].T.values))
    assert parse_reasons(n["database_specific_results"])[0] == ("MEDLINE\uff0c via Ovid", 301)


def test_thousands_separator_groups_every_drawn_number():
    assert format_count(1482) == "1482"
    assert format_count(1482, ",") == "1,482"
    assert format_count(1234567, "\u2009") == "1\u2009234\u2009567"
    boxes = {
        b.key: " ".join(t for _, t in b.lines)
        for b in flow_layout(FIRST, ["MEDLINE", "Embase"], ",").boxes
    }
    assert "Databases (n = 1,482)" in boxes["database_results"]
    assert "Embase (n = 1,181)" in boxes["database_results"]
    assert "Duplicate records removed (n = 1,064)" in boxes["duplicates"]
    plain = {
        b.key: " ".join(t for _, t in b.lines)
        for b in flow_layout(FIRST, ["MEDLINE", "Embase"]).boxes
    }
    assert "Databases (n = 1482)" in plain["database_results"]


def test_a_space_separated_number_never_breaks_across_lines():
    layout = flow_layout(dict(FIRST, records_excluded=1234567), ["MEDLINE", "Embase"], " ")
    lines = [t for b in layout.boxes if b.key == "records_excluded" for _, t in b.lines]
    assert any("(n = 1 234 567)" in line for line in lines)


def test_an_unknown_separator_is_a_config_error():
    from reviewflow.config import problems

    assert thousands_separator({}) == ""
    assert thousands_separator({"prisma": {"thousands_separator": ","}}) == ","
    assert problems({"prisma": {"thousands_separator": "'"}}, ["config.yaml"], partial=True) == [
        'config.yaml: prisma.thousands_separator: "\'" is not one of "", ",", ".", " ", "\\u2009"'
    ]


def test_the_written_file_reads_back_with_every_row_filled(tmp_path):
    from reviewflow.prisma.template import write_prisma_csv

    write_prisma_csv(UPDATE, ["MEDLINE", "Embase"], tmp_path / "PRISMA.csv")
    # as R's read.csv does: blank cells become NA
    frame = pd.read_csv(tmp_path / "PRISMA.csv")
    assert frame["n"].notna().all()


def test_the_prisma_step_draws_a_reason_and_database_with_commas_and_semicolons(tmp_path):
    from review_fixture import make_review

    from reviewflow.prisma.outputs import write_prisma

    plan = [
        ("excluded_screening", 4, "Off topic", None),
        ("excluded_full_text", 2, "Wrong population; children, only", None),
        ("included", 2, None, None),
    ]
    make_review(tmp_path, {"MEDLINE, via Ovid": 8, "Embase": 3}, plan)
    out = tmp_path / "results/prisma"
    write_prisma(
        tmp_path / "results/audit/ledger.csv",
        out / "counts.json",
        tmp_path / "config/config.yaml",
        out,
    )
    svg = (out / "flow_diagram.svg").read_text()
    assert (
        ">Wrong population; children, only (n = 2)<" in svg and ">MEDLINE, via Ovid (n = 8)<" in svg
    )
    n = dict(
        zip(
            *pd.read_csv(out / "PRISMA.csv", dtype=str, keep_default_na=False)[
                ["data", "n"]
            ].T.values
        )
    )
    assert parse_reasons(n["dbr_excluded"]) == [("Wrong population\uff1b children\uff0c only", 2)]
    assert parse_reasons(n["database_specific_results"]) == [
        ("MEDLINE\uff0c via Ovid", 8),
        ("Embase", 3),
    ]


def test_verify_reads_a_diagram_drawn_with_a_thousands_separator_as_the_counts(tmp_path):
    from reviewflow.audit.drawings import SVG, check_drawings
    from reviewflow.prisma.draw import save

    databases = ["MEDLINE", "Embase"]
    (tmp_path / SVG).parent.mkdir(parents=True)
    save(flow_layout(FIRST, databases, ","), [tmp_path / SVG])
    assert check_drawings(tmp_path, FIRST, databases, ",") == []
    assert any("1,482" in problem for problem in check_drawings(tmp_path, FIRST, databases))
