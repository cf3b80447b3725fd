import json

import pandas as pd
import pytest
import yaml
from screening_fixtures import (
    ELIGIBILITY,
    FILES,
    RECORDS,
    clusters,
    ft_row,
    records,
    rid,
    screen_and_count,
    works,
    write_review,
)

from reviewflow.config import load
from reviewflow.errors import ReviewflowError
from reviewflow.screening.ledger import COLUMNS, build_ledger, ledger_base, read_ledger
from reviewflow.screening.run import screen

TA = [
    ["111", "include", "", "SK"],
    ["222", "include", "", "SK"],
    ["L003", "include", "", "SK"],
    ["2-s2.0-6", "exclude", "Not about IVIG", "SK"],
    ["333", "include", "", "SK"],
]  # rf-d is excluded by automation: its decision is let be


def run(tmp_path, ta=TA, ft=None):
    paths = write_review(
        tmp_path,
        ta,
        ft
        if ft is not None
        else [
            ft_row("10.1000/a", study="Levy 2004"),
            ft_row(
                "rf-b",
                participants="3",
                override="include",
                override_reason="Pilot cohort kept by consensus",
            ),
            ft_row(
                "L003",
                retrieved="no",
                language="",
                participants="",
                adults_only="",
                outcome_reported="",
                design="",
            ),
        ],
    )
    ledger, counts, waiting = screen_and_count(
        paths["records"], paths["clusters"], paths["works"], load(paths["config"]), paths["out"]
    )
    return paths, ledger, counts, waiting


def by_record(ledger):
    return ledger.set_index("record_id")


def test_every_record_has_one_row_in_order(tmp_path):
    _, ledger, _, _ = run(tmp_path)
    assert list(ledger.columns) == COLUMNS
    assert sorted(ledger["record_id"]) == sorted(rid(r[0], r[1]) for r in RECORDS)
    keys = list(zip(ledger["round"], ledger["source_file"], ledger["source_index"]))
    assert keys == sorted(keys)


def test_statuses(tmp_path):
    _, ledger, _, _ = run(tmp_path)
    status = by_record(ledger)["status"].to_dict()
    assert status == {
        rid("MEDLINE", 1): "included",
        rid("Embase", 1): "duplicate",
        rid("Scopus", 1): "duplicate",
        rid("Embase", 2): "included",
        rid("MEDLINE", 2): "duplicate",
        rid("Scopus", 2): "excluded_automation",
        rid("MEDLINE", 3): "excluded_automation",
        rid("Embase", 3): "not_retrieved",
        rid("Scopus", 3): "excluded_screening",
    }
    rows = by_record(ledger)
    assert rows.loc[rid("Embase", 1), "duplicate_of"] == rid("MEDLINE", 1)
    assert set(rows.loc[rows["status"] == "duplicate", "duplicate_scope"]) == {"within_round"}
    assert rows.loc[rid("Scopus", 2), "automation"] == "Year 1999 outside 2003-2024"
    assert rows.loc[rid("MEDLINE", 3), "ta_decision"] == ""  # never reached screening
    assert rows.loc[rid("Scopus", 3), "ta_reason"] == "Not about IVIG"
    assert rows.loc[rid("MEDLINE", 1), "study"] == "Levy 2004"


def test_override_is_recorded(tmp_path):
    _, ledger, _, _ = run(tmp_path)
    row = by_record(ledger).loc[rid("Embase", 2)]
    assert row["ft_decision"] == "include (override)"
    assert (
        row["ft_reason"]
        == "Override: Pilot cohort kept by consensus (rules: Fewer than 5 patients)"
    )
    assert row["study"] == "rf-b"  # no label: the report is its own study


def test_exclude_override_reason_is_the_exclusion_reason(tmp_path):
    ft = [
        ft_row("111", override="exclude", override_reason="Duplicate cohort"),
        ft_row("rf-b"),
        ft_row("L003"),
    ]
    _, ledger, counts, _ = run(tmp_path, ft=ft)
    row = by_record(ledger).loc[rid("MEDLINE", 1)]
    assert (row["status"], row["ft_decision"], row["ft_reason"]) == (
        "excluded_full_text",
        "exclude (override)",
        "Duplicate cohort",
    )
    assert counts["dbr_excluded"] == {"Duplicate cohort": 1}


def test_counts_of_the_small_review(tmp_path):
    paths, _, counts, waiting = run(tmp_path)
    assert counts == {
        "database_results": 9,
        "database_specific_results": {"Embase": 3, "MEDLINE": 3, "Scopus": 3},
        "duplicates": 3,
        "excluded_automatic": 2,
        "excluded_other": 0,
        "records_screened": 4,
        "records_excluded": 1,
        "dbr_sought_reports": 3,
        "dbr_notretrieved_reports": 1,
        "dbr_assessed": 2,
        "dbr_excluded": {},
        "new_studies": 2,
        "new_reports": 2,
        "complete": True,
    }
    assert json.loads((tmp_path / "results/prisma/counts.json").read_text()) == counts
    assert len(waiting) == 0
    assert (tmp_path / "results/screening/pending.ris").read_text() == ""


def test_pending_works_are_listed_and_nothing_invented(tmp_path):
    ta = TA[:3]  # rf-f (Scopus s:3) has no title/abstract decision
    ft = [ft_row("111"), ft_row("rf-b", adults_only="")]  # rf-b lacks a fact; rf-e has no row
    _, ledger, counts, waiting = run(tmp_path, ta=ta, ft=ft)
    assert counts["complete"] is False
    assert counts["records_screened"] == 3  # only works with a decision
    assert counts["dbr_sought_reports"] == 3
    assert counts["dbr_assessed"] == 1 and counts["new_reports"] == 1
    listed = waiting.set_index("work_key")
    assert listed.loc["rf-f", "stage"] == "title_abstract"
    assert listed.loc["rf-b", "waiting_for"] == "Missing fact: adults_only"
    assert listed.loc["rf-e", "waiting_for"] == "No full-text facts recorded"
    assert len(waiting) == 3
    on_disk = pd.read_csv(
        tmp_path / "results/screening/pending.csv", dtype=str, keep_default_na=False
    )
    assert list(on_disk["work_key"]) == list(waiting["work_key"])
    ris = (tmp_path / "results/screening/pending.ris").read_text()
    assert ris.count("ER  -") == 3 and "ID  - rf-f" in ris


def test_full_text_facts_for_an_excluded_work_are_an_error(tmp_path):
    ft = [ft_row("111"), ft_row("rf-b"), ft_row("L003"), ft_row("2-s2.0-6")]
    with pytest.raises(
        ReviewflowError,
        match=r"full_text.csv: 1 full-text facts for works not included at "
        r"title/abstract:\n  line 5 \(2-s2.0-6: excluded_screening\)",
    ):
        run(tmp_path, ft=ft)


def test_ledger_is_formula_safe_and_round_trips(tmp_path):
    ta = [row[:] for row in TA]
    ta[3][2] = '=HYPERLINK("x")'
    paths, ledger, _, _ = run(tmp_path, ta=ta)
    text = (tmp_path / "results/audit/ledger.csv").read_text()
    assert ",'=HYPERLINK" in text.replace('"', "")
    back = read_ledger(tmp_path / "results/audit/ledger.csv")
    pd.testing.assert_frame_equal(back[COLUMNS].astype(str), ledger[COLUMNS].astype(str))


def test_output_is_deterministic(tmp_path):
    run(tmp_path / "a")
    run(tmp_path / "b")
    for name in ("audit/ledger.csv", "prisma/counts.json", "screening/pending.csv"):
        assert (tmp_path / "a/results" / name).read_bytes() == (
            tmp_path / "b/results" / name
        ).read_bytes()


def test_record_missing_from_clusters_is_an_error(tmp_path):
    paths = write_review(tmp_path, TA, [])
    clusters = pd.read_csv(paths["clusters"], dtype=str)
    clusters.iloc[1:].to_csv(paths["clusters"], index=False)
    with pytest.raises(ReviewflowError, match="1 records missing from the clusters"):
        screen(
            paths["records"], paths["clusters"], paths["works"], load(paths["config"]), paths["out"]
        )


def test_decisions_survive_reclustering(tmp_path):
    """Another dedup run may number clusters differently and pick other primaries."""
    paths, ledger, counts, _ = run(tmp_path / "first")
    clusters = pd.read_csv(paths["clusters"], dtype=str, keep_default_na=False)
    works = pd.read_csv(paths["works"], dtype=str, keep_default_na=False)
    # Renumber every cluster and make Embase e:1 the primary of rf-a instead of MEDLINE m:1.
    renumber = {c: f"k{i}" for i, c in enumerate(reversed(sorted(works["cluster_id"])))}
    clusters["cluster_id"] = clusters["cluster_id"].map(renumber)
    works["cluster_id"] = works["cluster_id"].map(renumber)
    new_primary, old_primary = rid("Embase", 1), rid("MEDLINE", 1)
    members = clusters["cluster_id"] == renumber["c1"]
    clusters.loc[members, "is_primary"] = (
        clusters.loc[members, "record_id"].eq(new_primary).map(str)
    )
    clusters.loc[members, "duplicate_of"] = clusters.loc[members, "record_id"].map(
        lambda r: "" if r == new_primary else new_primary
    )
    clusters.to_csv(paths["clusters"], index=False)
    works.to_csv(paths["works"], index=False)
    again, counts_again, _ = screen_and_count(
        paths["records"],
        paths["clusters"],
        paths["works"],
        load(paths["config"]),
        tmp_path / "second",
    )
    assert counts_again == counts
    before, after = by_record(ledger), by_record(again)
    assert after.loc[new_primary, "status"] == before.loc[old_primary, "status"] == "included"
    assert after.loc[old_primary, "status"] == "duplicate"
    assert work_status(again) == work_status(ledger)


def work_status(ledger):
    primaries = ledger[ledger["is_primary"]]
    return dict(zip(primaries["work_key"], primaries["status"]))


def test_reading_a_ledger_with_an_unknown_status_is_an_error(tmp_path):
    run(tmp_path)
    path = tmp_path / "results/audit/ledger.csv"
    path.write_text(path.read_text().replace(",included\n", ",accepted\n", 1))
    with pytest.raises(ReviewflowError, match="1 unknown statuses: accepted"):
        read_ledger(path)


def test_round_comes_from_the_config_and_orders_the_ledger():
    rounds = [
        {
            "name": "z-first",
            "searches": [
                {"database": db, "date": "2020-01-01", "exports": [FILES[db]]}
                for db in ("MEDLINE", "Embase")
            ],
        },
        {
            "name": "a-second",
            "searches": [
                {"database": "Scopus", "date": "2024-01-01", "exports": [FILES["Scopus"]]}
            ],
        },
    ]
    ledger = build_ledger(ledger_base(records(), clusters(), works(), rounds), {}, {}, ELIGIBILITY)
    assert list(ledger["round"]) == ["z-first"] * 6 + ["a-second"] * 3
    rows = by_record(ledger)
    assert rows.loc[rid("Embase", 1), "duplicate_scope"] == "within_round"
    assert rows.loc[rid("Scopus", 1), "duplicate_scope"] == "previous_round"


def test_a_rule_on_a_fact_of_the_reviews_own_excludes_by_a_column_the_reviewer_added(tmp_path):
    paths = write_review(tmp_path, TA, [])
    config = load(paths["config"])
    config["eligibility"]["full_text"] = [
        {"fact": "habitat", "in": ["grassland"], "reason": "Not a grassland study"}
    ]
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    with open(tmp_path / "full_text.csv", "w", encoding="utf-8") as handle:
        handle.write(
            "id,retrieved,habitat,reviewer\n10.1000/a,yes,forest,SK\nrf-b,yes,Grassland,SK\nL003,yes,,SK\n"
        )
    ledger, counts, _ = screen_and_count(
        paths["records"], paths["clusters"], paths["works"], load(paths["config"]), paths["out"]
    )
    status = ledger[ledger["is_primary"]].set_index("work_key")["status"]
    assert counts["dbr_excluded"] == {"Not a grassland study": 1}
    assert (status["rf-a"], status["rf-b"], status["rf-e"]) == (
        "excluded_full_text",
        "included",
        "pending_full_text",
    )
