"""Updating a review: earlier decisions carry over, only new works are screened."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from screening_fixtures import screen_and_count
from update_fixtures import Rec, Review, ft_row

from reviewflow.config import load
from reviewflow.errors import ReviewflowError
from reviewflow.screening.run import screen

UM, UE = "raw/update_medline.nbib", "raw/update_embase.ris"
OM, OE = "raw/medline.nbib", "raw/embase.ris"


def run(review: Review, tmp_path):
    paths = review.write(tmp_path)
    return screen_and_count(
        paths["records"],
        paths["clusters"],
        paths["works"],
        load(paths["config"]),
        paths["out"],
        paths["pairs"],
    )


def rows(ledger):
    return ledger.set_index("record_id")


def work_view(ledger):
    """What became of each work, whatever record dedup or the ledger made its primary."""
    primaries = ledger[ledger["is_primary"]]
    return {
        key: (status, origin)
        for key, status, origin in zip(
            primaries["work_key"], primaries["status"], primaries["round"]
        )
    }


def test_earlier_decisions_carry_over_and_only_new_works_are_screened(tmp_path):
    ledger, counts, waiting = run(Review(), tmp_path)
    status = rows(ledger)["status"].to_dict()
    assert status == {
        f"{OE}:1": "duplicate",
        f"{OE}:2": "previous_included",
        f"{OE}:3": "previous_excluded",
        f"{OM}:1": "previous_included",
        f"{OM}:2": "previous_excluded",
        f"{UE}:1": "duplicate",
        f"{UE}:2": "duplicate",
        f"{UE}:3": "pending_screening",
        f"{UM}:1": "duplicate",
        f"{UM}:2": "included",
    }
    scope = rows(ledger)["duplicate_scope"]
    assert (scope[f"{OE}:1"], scope[f"{UE}:2"]) == ("within_round", "within_round")
    assert (scope[f"{UM}:1"], scope[f"{UE}:1"]) == ("previous_round", "previous_round")
    assert rows(ledger).loc[f"{UM}:1", "duplicate_of"] == f"{OM}:1"
    # The earlier work keeps its earlier decisions on its earlier primary.
    assert rows(ledger).loc[f"{OM}:2", "ta_reason"] == "Not SSc"
    assert list(waiting["work_key"]) == ["rf-p"]
    assert counts == {
        "database_results": 5,
        "database_specific_results": {"Embase": 3, "MEDLINE": 2},
        "duplicates": 3,
        "duplicates_within_round": 1,
        "duplicates_previous_round": 2,
        "excluded_automatic": 0,
        "excluded_other": 0,
        "records_screened": 1,
        "records_excluded": 0,
        "dbr_sought_reports": 1,
        "dbr_notretrieved_reports": 0,
        "dbr_assessed": 1,
        "dbr_excluded": {},
        "new_studies": 1,
        "new_reports": 1,
        "new_reports_from_previous_rounds": 0,
        "previous_studies": 2,
        "previous_reports": 2,
        "previous_reports_excluded": {},
        "total_studies": 3,
        "total_reports": 3,
        "complete": False,
    }


def test_a_new_duplicate_of_an_old_record_is_not_screened_again(tmp_path):
    """Even when dedup picks the new record as its work's primary."""
    review = Review(primary={"A": f"{UM}:1", "C": f"{UE}:1"})
    ledger, counts, waiting = run(review, tmp_path)
    primary = ledger[ledger["is_primary"] & (ledger["work_key"] == "rf-a")]
    assert list(primary["round"]) == [
        "original"
    ]  # the ledger's primary is a record of the work's first round
    assert primary.iloc[0]["status"] == "previous_included"
    assert rows(ledger).loc[f"{UM}:1", "status"] == "duplicate"
    assert rows(ledger).loc[f"{UM}:1", "duplicate_of"] == primary.iloc[0]["record_id"]
    assert "rf-a" not in set(waiting["work_key"]) and "rf-c" not in set(waiting["work_key"])
    assert counts["records_screened"] == 1 and counts["previous_studies"] == 2
    assert counts == run(Review(), tmp_path / "plain")[1]


def test_reordering_or_reexporting_the_same_records_changes_nothing(tmp_path):
    ledger, counts, _ = run(Review(), tmp_path / "a")
    # The update's exports in another order: positions (record ids) change, nothing else.
    shuffled = Review()
    update = [r for r in shuffled.recs if r.round == "update"]
    for db in ("MEDLINE", "Embase"):
        mine = [r for r in update if r.db == db]
        order = list(range(1, len(mine) + 1))
        random.Random(7).shuffle(order)
        for rec, index in zip(mine, order):
            rec.index = index
    shuffled.update_ta = [["rf-n", "include", "", "AB"]]  # named by key: record ids moved
    shuffled.update_ft = [ft_row("rf-n", reviewer="AB")]
    again, counts_again, _ = run(shuffled, tmp_path / "b")
    assert counts_again == counts
    assert work_view(again) == work_view(ledger)
    # A second export of the same update search (e.g. a re-run export): more duplicates, nothing
    # re-decided.
    twice = Review()
    twice.recs += [
        Rec(
            "update",
            "Embase",
            i,
            r.source_id,
            r.work,
            r.doi,
            r.pmid,
            r.year,
            path="raw/update_embase_2.ris",
        )
        for i, r in enumerate((r for r in twice.recs if r.file == UE), start=1)
    ]
    third, counts_third, waiting = run(twice, tmp_path / "c")
    assert work_view(third) == work_view(ledger)
    assert list(waiting["work_key"]) == ["rf-p"]
    assert counts_third["database_results"] == counts["database_results"] + 3
    assert counts_third["duplicates_previous_round"] == counts["duplicates_previous_round"] + 1
    assert counts_third["duplicates_within_round"] == counts["duplicates_within_round"] + 2
    same = {k: v for k, v in counts.items() if not k.startswith(("database", "duplicates"))}
    assert {k: counts_third[k] for k in same} == same


def test_shared_decision_files_give_the_same_result(tmp_path):
    """An update may append its decisions to the same files instead of its own."""
    ledger, counts, _ = run(Review(), tmp_path / "own")
    shared, counts_shared, _ = run(Review(own_update_files=False), tmp_path / "shared")
    assert counts_shared == counts
    assert work_view(shared) == work_view(ledger)


def test_a_later_full_text_decision_excludes_a_previous_study_with_its_reason(tmp_path):
    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    ledger, counts, _ = run(review, tmp_path)
    row = rows(ledger).loc[f"{OE}:2"]
    assert (row["status"], row["ft_decision"], row["ft_reason"]) == (
        "previous_included",
        "exclude (override)",
        "Retracted (2025)",
    )
    assert (counts["previous_studies"], counts["previous_reports"]) == (2, 2)
    assert counts["previous_reports_excluded"] == {"Retracted (2025)": 1}
    assert (counts["total_studies"], counts["total_reports"]) == (2, 2)
    # Written in the original round's file instead, it is what the original review decided.
    review = Review()
    review.original_ft = [
        ft_row("111"),
        ft_row("10.1000/c", override="exclude", override_reason="Retracted (2025)"),
    ]
    ledger, counts, _ = run(review, tmp_path / "then")
    assert rows(ledger).loc[f"{OE}:2", "status"] == "previous_excluded"
    assert (counts["previous_studies"], counts["previous_reports_excluded"]) == (1, {})


def bridged_review() -> Review:
    """An update record that dedup matched to both B (excluded) and C (included): one cluster."""
    review = Review()
    review.recs.append(
        Rec("update", "MEDLINE", 3, "666", "X", "10.1000/c", "666", 2016, merged_into="B")
    )
    for rec in review.recs:
        if rec.work == "C":
            rec.merged_into = "B"
    review.links += [(f"{UM}:3", f"{OM}:2"), (f"{UM}:3", f"{OE}:2")]
    return review


def test_a_new_record_joining_two_earlier_works_is_a_conflict(tmp_path):
    with pytest.raises(ReviewflowError) as error:
        run(bridged_review(), tmp_path)
    message = str(error.value)
    assert message.startswith("dedup clusters: 1 conflicts: the update would merge earlier works")
    assert (
        f"work rf-b: records of round update ({UE}:1, {UM}:3) join "
        "works that earlier rounds kept apart: "
        f"{OE}:2 | {OM}:2"
    ) in message
    assert "dedup override" in message


def test_earlier_records_matched_directly_are_no_conflict(tmp_path):
    """The same merge, but the earlier records were one work already (a reviewer's 'same')."""
    review = bridged_review()
    review.links.append((f"{OM}:2", f"{OE}:2"))
    review.original_ta = [r for r in review.original_ta if r[0] != "L002"]  # one work, one decision
    review.original_ft = [ft_row("111")]
    ledger, counts, _ = run(review, tmp_path)
    assert rows(ledger).loc[f"{UM}:3", "duplicate_scope"] == "previous_round"
    assert rows(ledger).loc[f"{OM}:2", "status"] == "previous_excluded"
    assert counts["previous_studies"] == 1


def test_a_previous_work_still_pending_stays_listed(tmp_path):
    review = Review()
    review.original_ta = [r for r in review.original_ta if r[0] != "L003"]
    ledger, counts, waiting = run(review, tmp_path)
    assert rows(ledger).loc[f"{OE}:3", "status"] == "pending_screening"
    assert sorted(waiting["work_key"]) == ["rf-d", "rf-p"]
    assert counts["complete"] is False and counts["records_screened"] == 1


def test_one_export_in_two_rounds_is_an_error(tmp_path):
    review = Review()
    review.recs.append(Rec("update", "Embase", 9, "L009", "Q", path=OE))
    # Loading the config refuses it before screening does, naming both searches.
    with pytest.raises(
        ReviewflowError,
        match=r"named by more than one search[^$]*\(original: Embase; update: Embase\)",
    ):
        run(review, tmp_path)


def test_output_is_deterministic(tmp_path):
    run(Review(), tmp_path / "a")
    run(Review(), tmp_path / "b")
    for name in (
        "audit/ledger.csv",
        "prisma/counts.json",
        "screening/pending.csv",
        "screening/pending.ris",
    ):
        assert (tmp_path / "a/results" / name).read_bytes() == (
            tmp_path / "b/results" / name
        ).read_bytes()


def test_update_needs_the_pairs(tmp_path):
    paths = Review().write(tmp_path)
    with pytest.raises(ReviewflowError, match="needs the dedup pairs"):
        screen(
            paths["records"], paths["clusters"], paths["works"], load(paths["config"]), paths["out"]
        )


def test_the_review_includes_kept_previous_studies_and_new_ones(tmp_path):
    """What extraction reads: previous studies the update keeps, and the new ones."""
    from reviewflow.screening.ledger import in_review

    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    ledger, _, _ = run(review, tmp_path)
    kept = ledger[ledger["is_primary"] & in_review(ledger)]
    assert sorted(kept["work_key"]) == ["rf-a", "rf-n"]
    ledger, _, _ = run(Review(), tmp_path / "plain")
    assert sorted(ledger.loc[ledger["is_primary"] & in_review(ledger), "work_key"]) == [
        "rf-a",
        "rf-c",
        "rf-n",
    ]


@settings(deadline=None, max_examples=60)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40),
        )
    )
)
def test_components_match_a_plain_graph_search(graph):
    """The components that dedup's clustering and the update's bridged-works check both use."""
    from reviewflow.dedup.cluster import components

    n, edges = graph
    label = components(
        n,
        np.array([a for a, _ in edges], dtype=np.int64),
        np.array([b for _, b in edges], dtype=np.int64),
    )
    neighbours = {i: set() for i in range(n)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for start in range(n):  # the component of each node, by depth-first search
        seen, todo = {start}, [start]
        while todo:
            for nxt in neighbours[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert {i for i in range(n) if label[i] == label[start]} == seen
        assert label[start] == min(seen)


def test_counts_recomputed_from_the_written_ledger_agree(tmp_path):
    """What `reviewflow verify` does: read the ledger back and count again."""
    from reviewflow.prisma.counts import counts_from_ledger
    from reviewflow.records import read_csv
    from reviewflow.screening.ledger import read_ledger

    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    paths = review.write(tmp_path)
    _, counts, _ = run(review, tmp_path)
    rounds = load(paths["config"])["rounds"]
    for reader in (read_ledger, read_csv):
        assert counts_from_ledger(reader(tmp_path / "results/audit/ledger.csv"), rounds) == counts


def test_a_third_round_sharing_the_first_files_does_not_undo_the_second_rounds_decisions(tmp_path):
    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    paths = review.write(tmp_path)
    config = load(paths["config"])
    config["rounds"].append(
        {
            "name": "third",
            "searches": [
                {"database": "MEDLINE", "date": "2026-06-30", "exports": ["raw/third_medline.nbib"]}
            ],
        }
    )
    ledger, counts, _ = screen_and_count(
        paths["records"], paths["clusters"], paths["works"], config, paths["out"], paths["pairs"]
    )
    row = rows(ledger).loc[f"{OE}:2"]
    # As of the second round C was withdrawn: no longer a previous study of the third.
    assert (row["status"], row["ft_reason"]) == ("previous_excluded", "Retracted (2025)")
    assert rows(ledger).loc[f"{UM}:2", "status"] == "previous_included"  # the update's new study
    assert (counts["previous_studies"], counts["database_results"]) == (2, 0)


def test_diagram_boxes_and_verify_arithmetic_leave_a_withdrawn_study_out(tmp_path):
    from reviewflow.audit.verify import check_arithmetic
    from reviewflow.prisma.boxes import box_rows

    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    review.update_ta.append(
        ["L006", "exclude", "Off topic", "AB"]
    )  # nothing pending: the flow closes
    ledger, counts, _ = run(review, tmp_path)
    rows = box_rows(ledger, ["original", "update"])
    assert len(rows["previous_studies"]) == counts["previous_reports"] == 2
    assert sorted(ledger.iloc[rows["total_studies"]]["work_key"]) == ["rf-a", "rf-n"]
    assert len(rows["total_studies"]) == counts["total_reports"]
    assert check_arithmetic(counts, "counts.json") == []
    assert check_arithmetic(dict(counts, total_reports=3), "counts.json") == [
        "counts.json: previous_reports - previous_reports_excluded + "
        "new_reports = 2, but total_reports is 3"
    ]


def test_the_diagram_splits_duplicates_and_lists_withdrawn_reports(tmp_path):
    from reviewflow.prisma.layout import flow_layout

    review = Review()
    review.update_ft.append(
        ft_row("L002", override="exclude", override_reason="Retracted (2025)", reviewer="AB")
    )
    _, counts, _ = run(review, tmp_path)
    boxes = {
        b.key: " ".join(t for _, t in b.lines)
        for b in flow_layout(counts, ["MEDLINE", "Embase"]).boxes
    }
    assert (
        "Duplicate records removed (n = 3) of records screened before "
        "(n = 2) within this search (n = 1)" in boxes["duplicates"]
    )
    assert boxes["previous_studies"].endswith(
        "Reports excluded in this update: Retracted (2025) (n = 1)"
    )
    assert "Reports of total included studies (n = 2)" in boxes["total_studies"]


# The original decisions by work (A, B, C, D), for naming works by key after records move.
ORIGINAL_TA_BY_WORK = [
    ("111", "include", "", "SK"),
    ("222", "exclude", "Not SSc", "SK"),
    ("L002", "include", "", "SK"),
    ("L003", "exclude", "Review", "SK"),
]


@pytest.mark.slow
@settings(deadline=None, max_examples=15)  # each example writes and screens a review
@given(st.randoms(use_true_random=False))
def test_any_export_order_and_any_dedup_primary_change_nothing(tmp_path_factory, rand):
    """Whatever order the databases export in and whichever record dedup makes primary."""
    base_ledger, base_counts, base_waiting = run(Review(), tmp_path_factory.mktemp("base"))
    review = Review()
    for file in {r.file for r in review.recs}:
        mine = [r for r in review.recs if r.file == file]
        for rec, index in zip(mine, rand.sample(range(1, len(mine) + 1), len(mine))):
            rec.index = index
    review.primary = {
        w: rand.choice([r.record_id for r in review.recs if r.work == w])
        for w in {r.work for r in review.recs}
    }
    review.original_ta = [
        ["rf-" + w.lower(), d, reason, who]
        for w, (_, d, reason, who) in zip("ABCD", ORIGINAL_TA_BY_WORK)
    ]
    review.original_ft = [ft_row("rf-a"), ft_row("rf-c")]
    review.update_ta = [["rf-n", "include", "", "AB"]]
    review.update_ft = [ft_row("rf-n", reviewer="AB")]
    ledger, counts, waiting = run(review, tmp_path_factory.mktemp("shuffled"))
    assert counts == base_counts
    assert work_view(ledger) == work_view(base_ledger)
    assert list(waiting["work_key"]) == list(base_waiting["work_key"])


def test_an_earlier_work_first_included_by_the_update_is_a_new_study(tmp_path):
    """Not retrieved in the original round, retrieved and included in the update."""
    from reviewflow.audit.verify import check_arithmetic
    from reviewflow.prisma.boxes import box_rows
    from reviewflow.screening.ledger import in_review

    review = Review()
    review.original_ft = [
        ft_row("111"),
        ft_row("10.1000/c", retrieved="no", participants="", design=""),
    ]
    review.update_ft.append(ft_row("L002", reviewer="AB"))
    review.update_ta.append(["L006", "exclude", "Off topic", "AB"])
    ledger, counts, _ = run(review, tmp_path)
    assert (rows(ledger).loc[f"{OE}:2", "status"], rows(ledger).loc[f"{OE}:2", "round"]) == (
        "included",
        "original",
    )
    assert (
        counts["previous_studies"],
        counts["new_reports"],
        counts["new_reports_from_previous_rounds"],
    ) == (1, 2, 1)
    assert (counts["dbr_assessed"], counts["total_reports"], counts["total_studies"]) == (1, 3, 3)
    assert check_arithmetic(counts, "counts.json") == []
    boxes = box_rows(ledger, ["original", "update"])
    assert (
        len(boxes["new_studies"]) == counts["new_reports"]
        and len(boxes["total_studies"]) == counts["total_reports"]
    )
    assert sorted(ledger.loc[ledger["is_primary"] & in_review(ledger), "work_key"]) == [
        "rf-a",
        "rf-c",
        "rf-n",
    ]
