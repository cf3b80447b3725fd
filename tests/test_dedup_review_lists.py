"""What a reviewer gets besides the works: possible duplicates to check, related records,
and overrides that cannot contradict each other."""

import pandas as pd
import pytest
from click.testing import CliRunner
from dedup_helpers import BASE, frame

from reviewflow.cli import cli
from reviewflow.dedup import deduplicate, pair_relations, read_overrides
from reviewflow.dedup.possible import POSSIBLE_COLUMNS
from reviewflow.errors import ReviewflowError

OTHER = dict(
    title="Rituximab in diffuse cutaneous systemic sclerosis",
    author="Ebata, S",
    year="2021",
    journal="Rheumatology",
    volume="60",
    pages="10-20",
)


def run(*records, overrides=None):
    return deduplicate(frame(*records), None, overrides)


def test_a_near_equal_title_kept_apart_by_one_field_is_listed_with_its_veto_and_override_lines():
    result = run(BASE, BASE | dict(pages="1301-1307"), OTHER)
    possible = result.possible
    assert list(possible.columns) == POSSIBLE_COLUMNS and len(possible) == 1
    row = possible.iloc[0]
    assert row["veto"] == "pages" and row["reason"] == "near-equal titles, one veto"
    assert {row["pages_a"], row["pages_b"]} == {"1201-1207", "1301-1307"}
    assert row["accept"] == f"{row['record_a']},{row['record_b']},same"
    assert row["reject"] == f"{row['record_a']},{row['record_b']},different"


def test_records_of_one_export_of_a_database_are_not_listed_but_its_update_rounds_export_is():
    # One search's export holds each work once; the same database searched again is another export.
    records = frame(BASE, BASE | dict(pages="1301-1307"))
    records["source_db"] = "Web of Science"
    assert deduplicate(records).possible.empty
    records["source_file"] = ["wos.txt", "update/wos.txt"]
    records["record_id"] = records["source_file"] + ":1"
    assert len(deduplicate(records).possible) == 1


def test_accepting_a_listed_pair_merges_it_and_removes_it_from_the_list(tmp_path):
    records = (BASE, BASE | dict(pages="1301-1307"))
    row = run(*records).possible.iloc[0]
    path = tmp_path / "overrides.csv"
    path.write_text("id_a,id_b,decision\n" + row["accept"] + "\n")
    result = run(*records, overrides=read_overrides(path))
    assert result.clusters["cluster_id"].nunique() == 1 and result.possible.empty


def test_the_likeliest_pair_comes_first():
    doi = "10.1136/annrheumdis-2012-202239"
    shared_doi = (
        BASE | dict(doi=doi),
        BASE | dict(doi=doi, title="Erratum to a trial of IVIG", pages="1590"),
    )
    listed = run(
        BASE | dict(doi="10.1000/x1"), OTHER, OTHER | dict(pages="30-40"), *shared_doi
    ).possible
    assert listed["rank"].tolist() == list(range(1, len(listed) + 1))


def test_unrelated_records_and_policy_pairs_are_not_listed():
    preprint = {k: v for k, v in BASE.items() if k not in ("volume", "number", "pages")} | dict(
        journal="medRxiv", doi="10.1101/2012.01.01.12345678"
    )
    erratum = BASE | dict(title="Erratum: " + BASE["title"], number="9", pages="1590")
    assert run(BASE, OTHER, preprint, erratum).possible.empty


def test_an_erratum_and_a_retraction_notice_are_linked_to_the_work_they_concern():
    erratum = BASE | dict(title="Erratum: " + BASE["title"], number="9", pages="1590")
    retraction = BASE | dict(
        title="Retraction notice: " + BASE["title"], year="2014", volume="73", number="1", pages="5"
    )
    result = run(BASE, erratum, retraction, OTHER)
    related = result.related
    assert sorted(related["relation"]) == ["erratum", "retraction"]
    work = result.clusters.set_index("source_index")["cluster_id"][1]
    key = result.works.set_index("cluster_id")["key"][work]
    assert (related["work_key"] == key).all()
    assert set(related["related_record"]) == {"test.ris:2", "test.ris:3"}


def test_a_one_page_item_later_in_the_volume_repeating_title_and_authors_is_linked_as_an_erratum():
    notice = BASE | dict(number="11", pages="2205")
    related = run(BASE, notice).related
    assert related["relation"].tolist() == ["erratum"] and related["related_record"].tolist() == [
        "test.ris:2"
    ]


def test_a_one_page_letters_correction_in_a_later_issue_is_linked_as_an_erratum():
    letter = BASE | dict(number="9", pages="2205")
    correction = BASE | dict(number="11", pages="2647")
    related = run(letter, correction).related
    assert related["relation"].tolist() == ["erratum"]
    assert related["related_record"].tolist() == ["test.ris:2"]


def test_one_page_items_on_following_pages_without_issues_are_no_errata():
    # A congress's abstracts, one page each: neither is the other's correction.
    first = BASE | dict(number="", pages="51")
    second = BASE | dict(number="", pages="52")
    assert run(first, second).related.empty


def test_a_one_page_item_before_a_paper_of_the_volume_is_its_meeting_abstract():
    abstract = BASE | dict(number="5", pages="801")
    records = frame(abstract, BASE)
    ids = records["record_id"].tolist()
    assert pair_relations(records, [ids[0]], [ids[1]]).tolist() == ["meeting_abstract"]
    assert run(abstract, BASE).clusters["cluster_id"].nunique() == 2


def _relation(first: dict, second: dict, **columns) -> str:
    records = frame(first, second)
    for column, values in columns.items():
        records[column] = values
    ids = records["record_id"].tolist()
    return pair_relations(records, [ids[0]], [ids[1]])[0]


TRIAL = dict(
    title="Open label controlled trial of eculizumab in adult patients with plasma "
    "therapy-sensitive atypical hemolytic uremic syndrome",
    author="Alexion Pharmaceuticals",
    year="2011",
    publication_type="trial registration",
)


def test_two_bare_records_whose_titles_differ_by_unrelated_words_are_two_registrations():
    other = TRIAL | dict(
        title="Open label controlled trial of eculizumab in adolescent patients with plasma "
        "therapy-resistant aHUS"
    )
    assert _relation(TRIAL, other) == "registration"
    # A register ID in common makes them one trial, however each register titles it.
    same = [["NCT00844545"], ["NCT00844545"]]
    assert _relation(TRIAL, other, register_ids=same) == ""


def test_abstracts_of_one_study_in_two_journals_supplements_are_two_publications():
    first = BASE | dict(journal="British Journal of Haematology", volume="145", number="Suppl. 1")
    second = BASE | dict(journal="Haematologica", volume="94", number="Suppl. 2", pages="239-240")
    assert _relation(first, second) == "meeting_abstracts"
    # One journal's supplement, indexed twice under two forms of its name, is one publication.
    assert _relation(first, first | dict(journal="Br J Haematol")) == ""


def test_cli_prints_the_list_lengths_and_writes_both_tables(tmp_path):
    from reviewflow.records import write_csv

    table = tmp_path / "records.csv"
    write_csv(
        frame(
            BASE,
            BASE | dict(pages="1301-1307"),
            BASE | dict(title="Erratum: " + BASE["title"], number="9", pages="1590"),
        ),
        table,
    )
    result = CliRunner().invoke(cli, ["dedup", str(table), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    possible, related = (
        pd.read_csv(tmp_path / "o" / name) for name in ("possible_duplicates.csv", "related.csv")
    )
    assert len(possible) == 1 and len(related) >= 1
    assert f"{len(possible)} possible duplicates to check" in result.output
    assert f"{len(related)} errata, retractions and comments" in result.output


def _overrides(tmp_path, text):
    path = tmp_path / "overrides.csv"
    path.write_text("id_a,id_b,decision\n" + text)
    return read_overrides(path)


def test_one_pair_marked_same_and_different_stops_the_run_naming_both_lines(tmp_path):
    overrides = _overrides(tmp_path, "r1,r2,same\nr3,r1,same\nr2,r1,different\n")
    with pytest.raises(ReviewflowError) as error:
        run(BASE, OTHER, OTHER, overrides=overrides)
    message = str(error.value)
    assert (
        "overrides.csv" in message
        and "line 4" in message
        and "line 2" in message
        and "line 3" not in message
    )


def test_same_links_joining_a_different_pair_stop_the_run_naming_every_line(tmp_path):
    overrides = _overrides(tmp_path, "r1,r2,same\nr2,r3,same\nr1,r3,different\n")
    with pytest.raises(ReviewflowError) as error:
        run(
            BASE,
            OTHER,
            OTHER | dict(title="Something else entirely about lungs"),
            overrides=overrides,
        )
    message = str(error.value)
    assert all(f"line {n}" in message for n in (2, 3, 4)), message


def test_consistent_overrides_are_accepted(tmp_path):
    overrides = _overrides(tmp_path, "r1,r2,same\nr1,r3,different\n")
    clusters = run(BASE, OTHER, OTHER, overrides=overrides).clusters.set_index("source_index")[
        "cluster_id"
    ]
    assert clusters[1] == clusters[2] != clusters[3]
