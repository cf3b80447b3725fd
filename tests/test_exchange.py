"""Round trip with Rayyan, Covidence and ASReview LAB (reviewflow.exchange).

The fixtures in tests/data/exchange are written in each tool's own export
format, quirks included: Rayyan's leading-space N1 sections, "Maybe" votes,
__EXR__ reason labels, an unscreened record and one not in works.csv;
Covidence's per-list files named by the list; ASReview 2.x asreview_label,
1.x `included` with -1, and its RIS labels after rispy's "1." counter lines.
"""

import random
import re
from pathlib import Path

import pandas as pd
import pytest
import rispy
from click.testing import CliRunner
from fixtures import DATA as TEST_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewflow.cli import cli
from reviewflow.errors import ReviewflowError
from reviewflow.exchange import consensus, export, rayyan
from reviewflow.exchange.importer import Source, decisions_from_config, import_decisions
from reviewflow.exchange.match import WorkIndex, match_records
from reviewflow.exchange.votes import make_export, record_row
from reviewflow.records import read_csv

DATA = TEST_DATA / "exchange"
WORKS = DATA / "works.csv"
COVIDENCE = sorted(str(p) for p in DATA.glob("review_98765_*_csv_*.csv"))


@pytest.fixture
def works():
    return export.load_works(WORKS)


def _decisions(result):
    return dict(zip(result.decisions["id"], result.decisions.iloc[:, 1]))


# --- out ---------------------------------------------------------------------------------------


def test_ris_export_carries_the_key_in_id_and_note(works):
    entries = rispy.loads(export.to_ris(works))
    assert len(entries) == len(works)
    for entry in entries:
        assert entry["notes"] == [f"reviewflow-key: {entry['id']}"]
    by_key = {e["id"]: e for e in entries}
    trial = by_key["rf-05c2a7e9b1"]
    assert trial["type_of_reference"] == "JOUR"
    assert trial["authors"] == ["Takehara, Kazuhiko", "Ihn, Hironobu", "Sato, Shinichi"]
    assert (trial["year"], trial["secondary_title"], trial["volume"], trial["number"]) == (
        "2013",
        "Annals of the Rheumatic Diseases",
        "72",
        "7",
    )
    assert (trial["start_page"], trial["end_page"], trial["doi"]) == (
        "1187",
        "1192",
        "10.5555/ard.2013.0042",
    )
    assert "1." not in export.to_ris(works).split("\n")  # no rispy counter lines


def test_export_takes_abstracts_from_the_primary_record(works, tmp_path):
    records = tmp_path / "records.csv"
    pd.DataFrame(
        {
            "record_id": ["raw_exports/medline.nbib:3", "other:1"],
            "abstract": ["Skin score fell.", "x"],
            "keywords": ["IVIG; Scleroderma", ""],
        }
    ).to_csv(records, index=False)
    out = export.add_abstracts(works, read_csv(records))
    row = out.set_index("key").loc["rf-05c2a7e9b1"]
    assert row["abstract"] == "Skin score fell." and list(row["keywords"]) == [
        "IVIG",
        "Scleroderma",
    ]
    entry = {e["id"]: e for e in rispy.loads(export.to_ris(out))}["rf-05c2a7e9b1"]
    assert entry["abstract"] == "Skin score fell." and entry["keywords"] == ["IVIG", "Scleroderma"]


def test_pending_selects_works_and_rejects_unknown_ones(works, tmp_path):
    pending = tmp_path / "pending.csv"
    pending.write_text("work_key,title\nrf-1d4e6f8a20,a\nrf-5e8f0a2b36,b\n")
    assert sorted(export.select_pending(works, pending)["key"]) == [
        "rf-1d4e6f8a20",
        "rf-5e8f0a2b36",
    ]
    pending.write_text("stage,work_key\ntitle_abstract,rf-1d4e6f8a20\nfull_text,rf-3f0a1b2c4d\n")
    assert list(export.select_pending(works, pending, "full_text")["key"]) == ["rf-3f0a1b2c4d"]
    pending.write_text("work_key\nrf-1d4e6f8a20\nrf-ffffffffff\n")
    with pytest.raises(ReviewflowError, match=r"pending.csv:3: .*rf-ffffffffff"):
        export.select_pending(works, pending)


def test_csv_export_is_formula_safe_and_a_decision_file(works, tmp_path):
    out = tmp_path / "screen.csv"
    export.write(works, "csv", out)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(table.columns[:4]) == ["id", "decision", "reason", "reviewer"]
    assert sorted(table["id"]) == sorted(works["key"])
    title = table.set_index("id").loc["rf-2b7c9d0e13", "title"]
    assert title.startswith("'=Immunoglobulin")


def test_xlsx_export_is_formula_safe_text_and_byte_stable(works, tmp_path):
    from openpyxl import load_workbook

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export.write(works, "xlsx", first)
    export.write(works.iloc[::-1], "xlsx", second)
    assert first.read_bytes() == second.read_bytes()
    sheet = load_workbook(first).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "decision", "reason", "reviewer")
    by_id = {r[0]: r for r in rows[1:]}
    assert len(by_id) == len(works)
    # As in the extraction workbooks: the cell's quote prefix keeps it text; the text is unchanged.
    title = next(
        c
        for c in sheet["E"]
        if c.row > 1 and sheet.cell(row=c.row, column=1).value == "rf-2b7c9d0e13"
    )
    assert title.value == works.set_index("key").loc["rf-2b7c9d0e13", "title"]
    assert title.value.startswith("=") and title.data_type == "s" and title.quotePrefix
    assert by_id["rf-05c2a7e9b1"][6] == "2013"  # kept as text


# --- in: Rayyan ---------------------------------------------------------------------------------


def test_rayyan_notes_sections():
    votes, labels, reasons = rayyan.parse_notes(
        ' RAYYAN-INCLUSION: {"Ana"=>"Excluded", '
        '"m.el-gohary"=>"Maybe"} | RAYYAN-LABELS: a,__EXR__wrong dose '
        "| "
        "RAYYAN-EXCLUSION-REASONS: wrong drug,wrong population"
    )
    assert votes == {"Ana": "exclude", "m.el-gohary": "maybe"}
    assert labels == ["a"] and reasons == ["wrong dose", "wrong drug", "wrong population"]
    assert rayyan.parse_notes(" RAYYAN-LABELS: need to see full text") == (
        {},
        ["need to see full text"],
        [],
    )
    with pytest.raises(ValueError, match="Perhaps"):
        rayyan.parse_notes('RAYYAN-INCLUSION: {"Ana"=>"Perhaps"}')


@pytest.mark.parametrize(
    "damaged",
    [
        '{"Ana Kowalska"=>"Included", "bo.nguyen@example.org=>"Excluded"}',  # a lost quote
        '{"Ana Kowalska"=>"Included" "bo.nguyen@example.org"=>"Excluded"}',  # a lost comma
        '{"Ana Kowalska"=>"Included", "bo.nguyen@example.org"=>"Excluded"',  # a lost brace
    ],
)
def test_rayyan_damaged_inclusion_map_stops_the_import_naming_record_and_text(
    works, tmp_path, damaged
):
    text = (DATA / "rayyan_articles.ris").read_text(encoding="utf-8")
    intact = '{"Ana Kowalska"=>"Included", "bo.nguyen@example.org"=>"Excluded"}'
    assert text.count(intact) == 1
    record_start = [
        n for n, row in enumerate(text.split("\n"), start=1) if row.startswith("TY  -")
    ][1]
    path = tmp_path / "rayyan.ris"
    path.write_text(text.replace(intact, damaged), encoding="utf-8")
    with pytest.raises(ReviewflowError) as info:
        import_decisions([Source(str(path), "rayyan")], "title_abstract", works)
    message = str(info.value)
    assert f"{path}:{record_start}: record 2:" in message and damaged in message


def test_rayyan_ris_export(works):
    result = import_decisions(
        [Source(str(DATA / "rayyan_articles.ris"), "rayyan")], "title_abstract", works
    )
    assert _decisions(result) == {
        "rf-05c2a7e9b1": "include",
        "rf-2b7c9d0e13": "exclude",
        "rf-5e8f0a2b36": "exclude",
    }
    reasons = dict(zip(result.decisions["id"], result.decisions["reason"]))
    assert reasons["rf-2b7c9d0e13"] == "not an RCT; wrong drug; wrong population"
    assert result.n_records == 7 and result.n_unscreened == 1
    methods = dict(zip(result.matches["record"], result.matches["method"]))
    assert methods == {
        1: "key",
        2: "doi",
        3: "dedup:title_authors",
        4: "key",
        5: "key",
        6: "",
        7: "key",
    }
    problems = result.problems
    assert list(problems["location"]) == [f"{DATA / 'rayyan_articles.ris'}:85"]
    assert list(problems["tool_id"]) == ["rayyan-352110406"]
    unresolved = result.conflicts[result.conflicts["resolved"] == ""]
    assert list(unresolved["work_key"]) == ["rf-1d4e6f8a20", "rf-3f0a1b2c4d"]
    row = result.agreement.iloc[0]
    assert (row.n_both, row.n_agree, row.percent_agreement, row.kappa) == (4, 3, 75.0, 0.5)


def test_rayyan_csv_gives_the_same_decisions_as_its_ris(works):
    ris = import_decisions(
        [Source(str(DATA / "rayyan_articles.ris"), "rayyan")], "title_abstract", works
    )
    csv = import_decisions(
        [Source(str(DATA / "rayyan_articles.csv"), "rayyan")], "title_abstract", works
    )
    pd.testing.assert_frame_equal(ris.decisions, csv.decisions)
    assert dict(zip(csv.matches["record"], csv.matches["method"]))[3] == "pmid"


def test_pseudonyms_are_deterministic_and_replace_names_everywhere(works):
    result = import_decisions(
        [Source(str(DATA / "rayyan_articles.ris"), "rayyan")],
        "title_abstract",
        works,
        {"pseudonymise": True},
    )
    assert result.names == {"Ana Kowalska": "Reviewer 1", "bo.nguyen@example.org": "Reviewer 2"}
    written = " ".join(
        [
            result.decisions.to_csv(),
            result.conflicts.to_csv(),
            result.agreement.to_csv(),
            result.votes.to_csv(),
        ]
    )
    assert "Kowalska" not in written and "example.org" not in written
    assert consensus.pseudonyms(["b", "A", "c"]) == {
        "A": "Reviewer 1",
        "b": "Reviewer 2",
        "c": "Reviewer 3",
    }


# --- in: Covidence ------------------------------------------------------------------------------


def test_covidence_lists_give_both_stages(works):
    sources = [Source(p, "covidence") for p in COVIDENCE]
    ta = import_decisions(sources, "title_abstract", works)
    assert _decisions(ta) == {
        "rf-05c2a7e9b1": "include",
        "rf-1d4e6f8a20": "include",
        "rf-2b7c9d0e13": "include",
        "rf-3f0a1b2c4d": "include",
        "rf-4c6d8e0f25": "exclude",
        "rf-5e8f0a2b36": "exclude",
    }
    ft = import_decisions(sources, "full_text", works)
    assert list(ft.decisions.columns) == [
        "id",
        "retrieved",
        "language",
        "participants",
        "adults_only",
        "outcome_reported",
        "design",
        "study",
        "override",
        "override_reason",
        "reviewer",
    ]
    rows = ft.decisions.set_index("id")
    assert dict(rows["override"]) == {
        "rf-05c2a7e9b1": "include",
        "rf-1d4e6f8a20": "exclude",
        "rf-2b7c9d0e13": "exclude",
    }
    assert (
        rows.loc["rf-1d4e6f8a20", "override_reason"]
        == "Fewer than 5 patients with SSc who received IVIG"
    )
    assert rows.loc["rf-2b7c9d0e13", "override_reason"] == "Not limited to adults"
    assert rows.loc["rf-05c2a7e9b1", "override_reason"] == "included at full text in Covidence"
    assert set(rows["retrieved"]) == {"yes"} and set(rows["reviewer"]) == {"Covidence"}
    assert ft.problems.empty and ft.n_unscreened == 3  # irrelevant (2) and full-text review (1)


def test_covidence_list_must_be_known(works, tmp_path):
    renamed = tmp_path / "my_export.csv"
    renamed.write_bytes(Path(COVIDENCE[0]).read_bytes())
    with pytest.raises(ReviewflowError, match="which Covidence list"):
        import_decisions([Source(str(renamed), "covidence")], "title_abstract", works)
    result = import_decisions(
        [Source(str(renamed), "covidence", covidence_list="excluded")], "full_text", works
    )
    assert set(result.decisions["override"]) == {"exclude"}


# --- in: ASReview -------------------------------------------------------------------------------


def test_asreview_tabular_and_ris_exports_agree(works, tmp_path):
    csv_a = import_decisions(
        [Source(str(DATA / "asreview_dataset_reviewer_a.csv"), "asreview", "A")],
        "title_abstract",
        works,
    )
    ris_a = import_decisions(
        [Source(str(DATA / "asreview_export_reviewer_a.ris"), "asreview", "A")],
        "title_abstract",
        works,
    )
    xlsx = tmp_path / "asreview_dataset_reviewer_a.xlsx"
    pd.read_csv(
        DATA / "asreview_dataset_reviewer_a.csv", dtype=str, keep_default_na=False
    ).to_excel(xlsx, index=False)
    xlsx_a = import_decisions([Source(str(xlsx), "asreview", "A")], "title_abstract", works)
    tsv = tmp_path / "asreview_dataset_reviewer_a.tsv"
    pd.read_csv(DATA / "asreview_dataset_reviewer_a.csv", dtype=str, keep_default_na=False).to_csv(
        tsv, sep="\t", index=False
    )
    tsv_a = import_decisions([Source(str(tsv), "asreview", "A")], "title_abstract", works)
    expected = {
        "rf-05c2a7e9b1": "include",
        "rf-1d4e6f8a20": "include",
        "rf-2b7c9d0e13": "exclude",
        "rf-3f0a1b2c4d": "include",
        "rf-4c6d8e0f25": "exclude",
    }
    assert (
        _decisions(csv_a)
        == _decisions(ris_a)
        == _decisions(xlsx_a)
        == _decisions(tsv_a)
        == expected
    )
    assert csv_a.n_unscreened == ris_a.n_unscreened == 1
    assert (
        dict(zip(csv_a.decisions["id"], csv_a.decisions["reason"]))["rf-4c6d8e0f25"]
        == "narrative review"
    )


def test_asreview_dual_screening_agreement_and_third_reviewer(works):
    sources = [
        Source(str(DATA / "asreview_dataset_reviewer_a.csv"), "asreview", "A"),
        Source(str(DATA / "asreview_dataset_reviewer_b.csv"), "asreview", "B"),
    ]
    both = import_decisions(sources, "title_abstract", works)
    row = both.agreement.iloc[0]
    # A: I I E I E, B: I E E I E -> po .8, pe .6*.4+.4*.6 = .48, kappa .32/.52
    assert (row.n_both, row.n_agree, row.kappa) == (5, 4, round(0.32 / 0.52, 3))
    assert "rf-1d4e6f8a20" not in _decisions(both)
    arbiter = [Source(str(DATA / "asreview_dataset_reviewer_b.csv"), "asreview", "C")]
    decided = import_decisions(
        sources + arbiter, "title_abstract", works, {"consensus": "third_reviewer", "arbiter": "C"}
    )
    assert _decisions(decided)["rf-1d4e6f8a20"] == "exclude"
    assert dict(zip(decided.decisions["id"], decided.decisions["reviewer"]))["rf-1d4e6f8a20"] == "C"


def test_full_text_overrides_always_have_a_reason(works):
    # The decision file rejects an override without override_reason or retrieved: yes.
    result = import_decisions(
        [Source(str(DATA / "asreview_export_reviewer_a.ris"), "asreview", "A")], "full_text", works
    )
    rows = result.decisions.set_index("id")
    assert (rows["override_reason"] != "").all() and (rows["retrieved"] == "yes").all()
    assert (
        rows.loc["rf-2b7c9d0e13", "override_reason"]
        == "excluded at full text in ASReview LAB; no reason recorded"
    )


def test_asreview_bad_label_names_the_row(works, tmp_path):
    bad = tmp_path / "asr.csv"
    bad.write_text("record_id,title,asreview_label\n0,Some title,1\n1,Other title,yes please\n")
    with pytest.raises(ReviewflowError, match=r"asr.csv: row 2"):
        import_decisions([Source(str(bad), "asreview")], "title_abstract", works)


# --- matching and consensus ---------------------------------------------------------------------


def test_records_matching_several_works_or_one_work_twice_are_listed(works):
    records = [
        record_row(1, "f:1", "a", ["see rf-05c2a7e9b1 and rf-1d4e6f8a20"]),
        record_row(2, "f:2", "b", [], doi="10.5555/ard.2013.0042", pmid="18187941"),
        record_row(3, "f:3", "c", ["rf-3f0a1b2c4d"]),
        record_row(4, "f:4", "d", [], doi="https://doi.org/10.5555/MD.2017.6353"),
        record_row(5, "f:5", "e", ["rf-0000000000"], doi="10.5555/derm.2008.241"),
        record_row(6, "f:6", "RF-4C6D8E0F25", ["RF-4C6D8E0F25"]),
    ]
    matches = match_records(make_export("f", records, []).records, WorkIndex(works)).set_index(
        "record"
    )
    assert matches.loc[1, "work_key"] == "" and "several works" in matches.loc[1, "problem"]
    assert matches.loc[2, "work_key"] == "" and "several works" in matches.loc[2, "problem"]
    assert list(matches.loc[[3, 4], "work_key"]) == ["rf-3f0a1b2c4d"] * 2
    assert all("several records" in p for p in matches.loc[[3, 4], "problem"])
    assert (matches.loc[5, "work_key"], matches.loc[5, "method"]) == ("rf-5e8f0a2b36", "doi")
    assert (matches.loc[6, "work_key"], matches.loc[6, "method"]) == ("rf-4c6d8e0f25", "key")


def test_records_without_key_or_identifier_are_matched_by_deduplication(works):
    """The deduplication rules, not exact titles: a typo and a lost subtitle still match,
    a different DOI vetoes a same-titled work, and two works the rules both accept are listed."""
    takehara = works.set_index("key").loc["rf-05c2a7e9b1"]
    authors = "Takehara, K. and Ihn, H. and Sato, S."
    records = [
        record_row(
            1,
            "f:1",
            "a",
            [],
            title="Intravenous immunoglobulin therapy for skin thicknes in systemic sclerosis",
            year="2013",
            authors=authors,
            journal="Ann Rheum Dis",
            volume="72",
            pages="1187-92-",
        ),
        record_row(
            2,
            "f:2",
            "b",
            [],
            title=takehara["title"],
            year="2013",
            authors=authors,
            doi="10.9999/another.paper",
        ),
        record_row(3, "f:3", "c", [], title=takehara["title"], year="2013", authors=authors),
    ]
    export = make_export("f", records, []).records
    matches = match_records(export, WorkIndex(works)).set_index("record")
    assert matches.loc[1, "work_key"] == "rf-05c2a7e9b1" and matches.loc[1, "method"].startswith(
        "dedup:"
    )
    assert matches.loc[2, "work_key"] == "" and "pairs it with none" in matches.loc[2, "problem"]
    assert matches.loc[3, "work_key"] == "rf-05c2a7e9b1"  # the same record without the other DOI
    # A second work of the same title, authors and year on other pages: record 3
    # (no volume, pages or DOI) fits both, so it is listed, not given to either.
    twin = works[works["key"] == "rf-05c2a7e9b1"].assign(
        key="rf-aaaaaaaaaa",
        cluster_id=99,
        volume="72",
        pages="2001-2006",
        doi="10.5555/ard.2014.1",
        pmid="",
        dois="10.5555/ard.2014.1",
        pmids="",
    )
    matches = match_records(
        export, WorkIndex(pd.concat([works, twin], ignore_index=True))
    ).set_index("record")
    assert matches.loc[3, "work_key"] == ""
    assert "several works: rf-05c2a7e9b1, rf-aaaaaaaaaa" in matches.loc[3, "problem"]
    assert matches.loc[1, "work_key"] == "rf-05c2a7e9b1"


def test_cohen_kappa_hand_checked():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # po = 35/50 = .7; pe = .5*.6 + .5*.4 = .5; kappa = (.7 - .5) / (1 - .5) = .4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert consensus.cohen_kappa(a, b) == pytest.approx(0.4)
    assert consensus.cohen_kappa(["yes"] * 3, ["yes"] * 3) is None
    assert consensus.cohen_kappa([], []) is None


def test_votes_needed_setting():
    rows = pd.DataFrame(
        [
            {"work_key": "rf-1", "reviewer": "A", "vote": "exclude", "reason": "r"},
            {"work_key": "rf-2", "reviewer": "A", "vote": "include", "reason": ""},
            {"work_key": "rf-2", "reviewer": "B", "vote": "include", "reason": ""},
        ]
    )
    decided, conflicts = consensus.decide(rows, "title_abstract")
    assert list(decided["work_key"]) == ["rf-2"]
    assert list(conflicts["issue"]) == ["too few votes"]
    decided, conflicts = consensus.decide(rows, "title_abstract", votes_needed=1)
    assert list(decided["decision"]) == ["exclude", "include"] and conflicts.empty


@pytest.mark.parametrize(
    "rule, votes, expected",
    [
        ("all_agree", {"A": "include", "B": "include"}, "include"),
        ("all_agree", {"A": "include", "B": "exclude"}, ""),
        ("all_agree", {"A": "exclude"}, ""),  # nobody else has screened it yet
        ("all_agree", {"A": "include", "C": "include"}, "include"),  # B need not vote on everything
        ("all_agree", {"A": "maybe", "B": "maybe"}, ""),
        ("any_include", {"A": "include", "B": "exclude"}, "include"),
        ("any_include", {"A": "maybe", "B": "exclude"}, ""),
        ("any_include", {"A": "exclude", "B": "exclude"}, "exclude"),
        ("third_reviewer", {"A": "include", "B": "exclude", "C": "exclude"}, "exclude"),
        ("third_reviewer", {"A": "include", "B": "include", "C": "exclude"}, "include"),
        ("third_reviewer", {"A": "include", "B": "exclude"}, ""),
    ],
)
def test_consensus_rules(rule, votes, expected):
    rows = [{"work_key": "rf-1", "reviewer": r, "vote": v, "reason": ""} for r, v in votes.items()]
    # Another work that everyone screened, so every reviewer is known to the stage.
    rows += [{"work_key": "rf-2", "reviewer": r, "vote": "exclude", "reason": ""} for r in "ABC"]
    decided, conflicts = consensus.decide(pd.DataFrame(rows), "title_abstract", rule, "C")
    got = dict(zip(decided["work_key"], decided["decision"])).get("rf-1", "")
    assert got == expected
    if len(set(votes.values())) > 1 or not expected:
        assert "rf-1" in set(conflicts["work_key"])


# --- round trip: export -> tool -> import -------------------------------------------------------


def _screen(works, seed=7):
    rng = random.Random(seed)
    return {key: rng.choice(["include", "exclude"]) for key in sorted(works["key"])}


def _as_rayyan(entries, truth):
    """What Rayyan exports after screening our RIS: its own AN, our ID dropped,
    records reordered, our note kept before its sections on one N1 line."""
    out = []
    for n, entry in enumerate(reversed(entries), start=1):
        key = entry.pop("id")
        word = {"include": "Included", "exclude": "Excluded"}[truth[key]]
        section = f'RAYYAN-INCLUSION: {{"Ana"=>"{word}", "Bo"=>"{word}"}}'
        if truth[key] == "exclude":
            section += " | RAYYAN-EXCLUSION-REASONS: wrong drug"
        out.append(
            {
                "accession_number": f"rayyan-{9000 + n}",
                **entry,
                "notes": [" " + entry["notes"][0] + " | " + section],
            }
        )
    return rispy.dumps(out)


def _as_asreview(entries, truth):
    for entry in entries:
        label = "ASReview_relevant" if truth[entry["id"]] == "include" else "ASReview_irrelevant"
        entry["notes"] = [label] + entry["notes"]
    return rispy.dumps(entries)  # with rispy's "1." counter lines, as ASReview writes


def _as_covidence(entries, truth, directory):
    columns = [
        "Title",
        "Authors",
        "Published Year",
        "Journal",
        "DOI",
        "Accession Number",
        "Ref",
        "Covidence #",
        "Notes",
        "Tags",
    ]
    lists = {"irrelevant": [], "select": []}
    for n, entry in enumerate(entries, start=1):
        row = [
            entry["title"],
            "; ".join(entry["authors"]),
            entry.get("year", ""),
            entry.get("journal_name", ""),
            entry.get("doi", ""),
            entry.get("accession_number", ""),
            entry["id"],
            f"#{n}",
            "",
            "",
        ]
        lists["select" if truth[entry["id"]] == "include" else "irrelevant"].append(row)
    paths = []
    for name, rows in lists.items():
        path = directory / f"review_4242_{name}_csv_20240601120000.csv"
        pd.DataFrame(rows, columns=columns).to_csv(path, index=False, encoding="utf-8-sig")
        paths.append(path)
    return paths


@pytest.mark.parametrize("tool", ["rayyan", "asreview", "covidence"])
def test_round_trip_through_each_tool_loses_nothing(works, tmp_path, tool):
    truth = _screen(works)
    ris = tmp_path / "to_screen.ris"
    export.write(works, "ris", ris)
    entries = rispy.loads(ris.read_text())
    if tool == "covidence":
        sources = [Source(str(p), tool) for p in _as_covidence(entries, truth, tmp_path)]
    else:
        back = tmp_path / f"{tool}.ris"
        back.write_text(
            _as_rayyan(entries, truth) if tool == "rayyan" else _as_asreview(entries, truth)
        )
        sources = [Source(str(back), tool)]
    result = import_decisions(sources, "title_abstract", works)
    assert _decisions(result) == truth
    assert result.problems.empty and result.conflicts.empty and result.n_records == len(works)
    if tool == "rayyan":
        assert set(result.matches["method"]) == {
            "key"
        }  # found in the note although the ID was dropped
        excluded = result.decisions[result.decisions["decision"] == "exclude"]
        assert set(excluded["reason"]) == {"wrong drug"}


# --- config and CLI -----------------------------------------------------------------------------


def test_decisions_from_config(works):
    config = {
        "screening_tools": {
            "consensus": "all_agree",
            "pseudonymise": True,
            "imports": [
                {"file": "rayyan_articles.ris", "tool": "rayyan", "stage": "title_abstract"},
                {
                    "file": "review_98765_excluded_csv_20240503141512.csv",
                    "tool": "covidence",
                    "stage": "full_text",
                },
            ],
        }
    }
    ta = decisions_from_config(config, works, "title_abstract", root=DATA)
    assert list(ta.columns) == ["id", "decision", "reason", "reviewer"] and len(ta) == 3
    assert set(ta["reviewer"]) == {"Reviewer 1; Reviewer 2"}
    ft = decisions_from_config(config, works, "full_text", root=DATA)
    assert list(ft["id"]) == ["rf-1d4e6f8a20", "rf-2b7c9d0e13"]
    assert decisions_from_config({}, works, "full_text").empty


def test_cli_export_then_import(tmp_path):
    runner = CliRunner()
    out = tmp_path / "screen.ris"
    result = runner.invoke(
        cli, ["export-screening", "--works", str(WORKS), "--format", "ris", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(rispy.loads(out.read_text())) == 6
    decisions = tmp_path / "ta.csv"
    result = runner.invoke(
        cli,
        [
            "import-decisions",
            str(DATA / "rayyan_articles.ris"),
            "--tool",
            "rayyan",
            "--stage",
            "title_abstract",
            "--works",
            str(WORKS),
            "--out",
            str(decisions),
            "--pseudonymise",
            "--report",
            str(tmp_path / "report"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Reviewer 1: exclude 2, include 2, maybe 1" in result.output
    assert "Cohen's kappa 0.500" in result.output
    assert "2 conflicts, 2 unresolved" in result.output
    assert "rf-1d4e6f8a20: Reviewer 1: include; Reviewer 2: exclude (disagreement)" in result.output
    assert "rf-3f0a1b2c4d: Reviewer 1: maybe (maybe)" in result.output
    assert "rayyan_articles.ris:85 (tool id rayyan-352110406)" in result.output
    assert pd.read_csv(decisions)["id"].tolist() == [
        "rf-05c2a7e9b1",
        "rf-2b7c9d0e13",
        "rf-5e8f0a2b36",
    ]
    assert (tmp_path / "report" / "conflicts.csv").is_file()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_exports_pending_works_as_a_sheet(tmp_path, fmt):
    pending = tmp_path / "pending.csv"
    pending.write_text("work_key\nrf-3f0a1b2c4d\nrf-1d4e6f8a20\n")
    out = tmp_path / f"screen.{fmt}"
    result = CliRunner().invoke(
        cli,
        [
            "export-screening",
            "--works",
            str(WORKS),
            "--pending",
            str(pending),
            "--format",
            fmt,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = pd.read_csv(out, dtype=str) if fmt == "csv" else pd.read_excel(out, dtype=str)
    assert list(sheet["id"]) == ["rf-1d4e6f8a20", "rf-3f0a1b2c4d"]


def test_cli_takes_settings_from_config_and_options_win(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("screening_tools:\n  consensus: any_include\n  pseudonymise: true\n")
    args = [
        "import-decisions",
        str(DATA / "rayyan_articles.ris"),
        "--tool",
        "rayyan",
        "--stage",
        "title_abstract",
        "--works",
        str(WORKS),
        "--out",
        str(tmp_path / "ta.csv"),
        "--config",
        str(config),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "ta.csv", dtype=str, keep_default_na=False).set_index("id")
    assert (
        table.loc["rf-1d4e6f8a20", "decision"] == "include"
    )  # any_include settles the disagreement
    assert table.loc["rf-1d4e6f8a20", "reviewer"] == "Reviewer 1"
    result = CliRunner().invoke(cli, args + ["--consensus", "all_agree", "--real-names", "--force"])
    table = pd.read_csv(tmp_path / "ta.csv", dtype=str, keep_default_na=False).set_index("id")
    assert (
        "rf-1d4e6f8a20" not in table.index
        and "Ana Kowalska" in table.loc["rf-05c2a7e9b1", "reviewer"]
    )


def test_an_import_takes_the_schemas_defaults_for_what_the_config_leaves_unset(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("screening_tools:\n  imports: []\n")
    out = tmp_path / "ta.csv"
    args = _import_args(DATA / "rayyan_articles.ris", out, "--config", str(config))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")
    assert "rf-1d4e6f8a20" not in table.index  # all_agree: the reviewers' disagreement waits
    assert "Ana Kowalska" in table.loc["rf-05c2a7e9b1", "reviewer"]  # real names


def _import_args(source, out, *more):
    return [
        "import-decisions",
        str(source),
        "--tool",
        "rayyan",
        "--stage",
        "title_abstract",
        "--works",
        str(WORKS),
        "--out",
        str(out),
        *more,
    ]


@pytest.mark.parametrize("source", ["asreview_export_reviewer_a.ris", "works.csv"])
def test_import_of_a_file_without_the_tools_decisions_fails(tmp_path, source):
    # An ASReview export read as Rayyan's, or not a tool's export at all: no decision in it.
    out = tmp_path / "ta.csv"
    result = CliRunner().invoke(cli, _import_args(DATA / source, out))
    assert result.exit_code == 2, result.output
    assert "no decisions found" in result.output and source in result.output
    assert not out.exists()


def test_import_does_not_replace_decisions_unless_forced(tmp_path):
    out = tmp_path / "ta.csv"
    out.write_text(
        "id,decision,reason,reviewer\nrf-05c2a7e9b1,include,,Ana\nrf-2b7c9d0e13,exclude,x,Ana\n"
    )
    before = out.read_text()
    result = CliRunner().invoke(cli, _import_args(DATA / "rayyan_articles.ris", out))
    assert (
        result.exit_code == 2
        and "holds 2 decisions" in result.output
        and "--force" in result.output
    )
    assert out.read_text() == before
    result = CliRunner().invoke(cli, _import_args(DATA / "rayyan_articles.ris", out, "--force"))
    assert result.exit_code == 0, result.output
    assert "replaced 2 decisions with 3" in result.output
    header_only = tmp_path / "new.csv"
    header_only.write_text(
        "id,decision,reason,reviewer\n"
    )  # a decision file holding only its header
    assert (
        CliRunner().invoke(cli, _import_args(DATA / "rayyan_articles.ris", header_only)).exit_code
        == 0
    )


def test_cli_bad_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "rayyan.ris"
    bad.write_text("TY  - JOUR\nTI  - unterminated\n")
    result = CliRunner().invoke(
        cli,
        [
            "import-decisions",
            str(bad),
            "--tool",
            "rayyan",
            "--stage",
            "title_abstract",
            "--works",
            str(WORKS),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "rayyan.ris" in result.output


def test_a_tool_ris_is_read_by_the_ingest_reader_whatever_tag_holds_the_key(works, tmp_path):
    """A tool that moves reviewflow's key into a user field (U1) and drops ID and N1: the
    tag is read all the same, so the record still finds its work by key."""
    text = (DATA / "asreview_export_reviewer_a.ris").read_text(encoding="utf-8")
    moved = re.sub(r"^ID  - (rf-\w+)$", r"U1  - \1", text, flags=re.MULTILINE)
    moved = re.sub(r"^N1  - reviewflow-key: .*\n", "", moved, flags=re.MULTILINE)
    assert "U1  - rf-" in moved and "reviewflow-key" not in moved
    path = tmp_path / "asreview_export_reviewer_a.ris"
    path.write_text(moved, encoding="utf-8")
    result = import_decisions([Source(str(path), "asreview", "A")], "title_abstract", works)
    original = import_decisions(
        [Source(str(DATA / "asreview_export_reviewer_a.ris"), "asreview", "A")],
        "title_abstract",
        works,
    )
    assert set(result.matches["method"]) == {"key"}
    assert _decisions(result) == _decisions(original)


def test_a_tool_ris_record_without_er_names_file_and_line(works, tmp_path):
    text = (DATA / "asreview_export_reviewer_a.ris").read_text(encoding="utf-8")
    lines = text.split("\n")
    first_er = lines.index("ER  - ")
    path = tmp_path / "cut.ris"
    path.write_text("\n".join(lines[:first_er] + lines[first_er + 1 :]), encoding="utf-8")
    with pytest.raises(
        ReviewflowError, match=r"record from line 2 has no ER line before the next TY"
    ) as info:
        import_decisions([Source(str(path), "asreview", "A")], "title_abstract", works)
    assert str(path) in str(info.value)


def test_covidence_ris_export(works):
    path = DATA / "review_98765_excluded_ris_20240503141512.ris"
    result = import_decisions([Source(str(path), "covidence")], "full_text", works)
    assert dict(zip(result.decisions["id"], result.decisions["override_reason"])) == {
        "rf-1d4e6f8a20": "Fewer than 5 patients with SSc who received IVIG",
        "rf-2b7c9d0e13": "Not limited to adults",
    }
    assert list(result.matches["method"]) == ["doi", "pmid"]


_VOTE_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["rf-1", "rf-2", "rf-3", "rf-4"]),
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(["include", "exclude", "maybe"]),
    ),
    min_size=1,
    max_size=30,
)


@pytest.mark.slow
@settings(deadline=None, max_examples=200)
@given(_VOTE_ROWS, st.sampled_from(consensus.RULES), st.sampled_from([None, 1, 2, 3]))
def test_every_voted_work_is_decided_or_listed(rows, rule, needed):
    votes = pd.DataFrame(
        [{"work_key": w, "reviewer": r, "vote": v, "reason": ""} for w, r, v in rows]
    )
    per_reviewer = consensus.reviewer_votes(votes)
    decided, conflicts = consensus.decide(per_reviewer, "title_abstract", rule, "C", needed)
    unresolved = set(conflicts.loc[conflicts["resolved"] == "", "work_key"])
    assert set(decided["work_key"]).isdisjoint(unresolved)
    assert set(decided["work_key"]) | unresolved == set(votes["work_key"])
    assert decided["work_key"].is_unique
    # A decision never contradicts every vote cast on the work.
    for work_key, decision in zip(decided["work_key"], decided["decision"]):
        assert decision in set(per_reviewer.loc[per_reviewer["work_key"] == work_key, "vote"])
