import pytest
from fixtures import FT_HEADER, TA_HEADER, write_decisions
from screening_fixtures import clusters, ft_row, records, rid, rounds, works

from reviewflow.errors import ReviewflowError
from reviewflow.screening import decisions
from reviewflow.screening.ledger import ledger_base


@pytest.fixture(scope="module")
def base():
    return ledger_base(records(), clusters(), works(), rounds())


@pytest.fixture(scope="module")
def index(base):
    return decisions.build_index(base)


def load_ta(tmp_path, index, rows, header=TA_HEADER):
    return decisions.load_title_abstract(write_decisions(tmp_path / "ta.csv", header, rows), index)


@pytest.mark.parametrize(
    "identifier, cluster",
    [
        ("https://doi.org/10.1000/B", "c2"),  # DOI of the non-primary MEDLINE member, URL form
        ("doi:10.1000/b", "c2"),
        ("222", "c2"),  # PMID of the non-primary member
        ("PMID: 222", "c2"),
        ("PUBMED 222", "c2"),  # as CENTRAL labels it
        ("0000222", "c2"),  # zero-padded, as some tools write it
        ("l001", "c1"),  # Embase ID of a non-primary member, any case
        ("2-s2.0-1", "c1"),  # Scopus EID of a non-primary member
        (rid("MEDLINE", 2), "c2"),  # record_id of a non-primary member
        ("rf-b", "c2"),  # work key
    ],
)
def test_any_identifier_of_any_member_names_the_work(tmp_path, index, identifier, cluster):
    loaded = load_ta(tmp_path, index, [[identifier, "Include", "", "SK"]])
    assert list(loaded) == [cluster]
    assert loaded[cluster].values["decision"] == "include"


def test_identical_duplicates_and_agreeing_reviewers_merge(tmp_path, index):
    rows = [
        ["111", "exclude", "off topic", "SK"],
        ["111", "exclude", "off topic", "SK"],
        ["L001", "exclude", "", "AB"],
    ]
    loaded = load_ta(tmp_path, index, rows)
    assert loaded["c1"].values == {
        "id": "111",
        "decision": "exclude",
        "reason": "off topic",
        "reviewer": "AB; SK",
    }


def test_conflict_between_members_of_one_cluster(tmp_path, index):
    rows = [
        ["111", "include", "", "SK"],
        ["L001", "exclude", "", "AB"],
        ["L003", "include", "", "SK"],
    ]
    with pytest.raises(ReviewflowError) as info:
        load_ta(tmp_path, index, rows)
    message = str(info.value)
    assert "members of one work decided differently" in message
    assert "line 2 (111)" in message and "line 3 (L001)" in message
    assert "L003" not in message
    # Which line says what: the sorted values alone hid it.
    assert "decision 'exclude' (line 3) vs 'include' (line 2)" in message


def test_same_record_decided_twice_differently(tmp_path, index):
    rows = [["333", "include", "", "SK"], ["PMID:333", "exclude", "", "SK"]]
    with pytest.raises(ReviewflowError, match="the same record decided twice differently"):
        load_ta(tmp_path, index, rows)


def test_all_conflicts_are_listed_at_once(tmp_path, index):
    rows = [
        ["111", "include", "", ""],
        ["L001", "exclude", "", ""],
        ["L003", "include", "", ""],
        ["l003", "exclude", "", ""],
    ]
    path = write_decisions(tmp_path / "ta.csv", TA_HEADER, rows)
    with pytest.raises(ReviewflowError) as info:
        decisions.load_title_abstract(path, index, labels={"c1": "rf-a", "c5": "rf-e"})
    message = str(info.value)
    assert "members of one work decided differently: work rf-a" in message
    assert "the same record decided twice differently: work rf-e" in message


def test_unknown_ids_are_all_listed(tmp_path, index):
    rows = [
        ["999", "include", "", ""],
        ["111", "include", "", ""],
        ["10.9999/nothing", "exclude", "", ""],
    ]
    with pytest.raises(ReviewflowError) as info:
        load_ta(tmp_path, index, rows)
    message = str(info.value)
    assert "ta.csv" in message
    assert "line 2: id '999' names no known record" in message
    assert "line 4: id '10.9999/nothing' names no known record" in message


def test_ambiguous_id_is_an_error(tmp_path):
    # Two works sharing an identifier (here a DOI) cannot be told apart by it.
    base = ledger_base(records(), clusters(), works(), rounds())
    base.loc[base["cluster_id"] == "c5", "doi"] = "10.1000/a"
    with pytest.raises(ReviewflowError, match="names records of several works"):
        load_ta(tmp_path, decisions.build_index(base), [["10.1000/a", "include", "", ""]])


def test_bad_decision_values(tmp_path, index):
    with pytest.raises(ReviewflowError) as info:
        load_ta(tmp_path, index, [["111", "maybe", "", ""], ["L003", "", "Off topic", ""]])
    assert "line 2: decision 'maybe'" in str(info.value)
    assert "line 3: decision ''" in str(info.value)  # a reason without a decision


def test_bad_full_text_values(tmp_path, index):
    rows = [
        ft_row("111", retrieved="perhaps"),
        ft_row("L003", participants="ten"),
        ft_row("2-s2.0-6", override="include"),
        ft_row("L002", retrieved="no", override="exclude", override_reason="x"),
    ]
    path = write_decisions(tmp_path / "ft.csv", FT_HEADER, rows)
    with pytest.raises(ReviewflowError) as info:
        decisions.load_full_text(path, index)
    message = str(info.value)
    assert "line 2: retrieved 'perhaps'" in message
    assert "line 3: participants 'ten'" in message
    assert "line 4: an override needs an override_reason" in message
    assert "line 5: an override needs a retrieved report (retrieved: yes)" in message


def test_full_text_facts_conflicting_between_members(tmp_path, index):
    path = write_decisions(
        tmp_path / "ft.csv", FT_HEADER, [ft_row("111"), ft_row("L001", participants="3")]
    )
    with pytest.raises(ReviewflowError, match=r"participants '10' \(line 2\) vs '3' \(line 3\)"):
        decisions.load_full_text(path, index)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("id,decision\n111,include,extra\n", "line 2: 3 fields, the header has 2"),
        ("id,colour\n111,red\n", "no decision column: the header has id, colour"),
        ("decision\ninclude\n", "must have an 'id' column"),
        ('id,decision\n"111,include\n', "malformed CSV"),
        # The line the broken record starts on, past the good ones before it.
        (
            'id,decision\n111,include\n222,exclude\n"333,include\n',
            r"ta.csv:4: malformed CSV.*never closed",
        ),
        ("", r"ta.csv:1: the file is empty: .* header line id,decision,reason,reviewer"),
        ("id,decision\n,include\n", "line 2: empty id"),
    ],
)
def test_malformed_csv(tmp_path, index, text, problem):
    path = tmp_path / "ta.csv"
    path.write_text(text)
    with pytest.raises(ReviewflowError, match=problem):
        decisions.load_title_abstract(path, index)


def test_missing_file_is_an_error(tmp_path, index):
    with pytest.raises(ReviewflowError, match="not found"):
        decisions.load_title_abstract(tmp_path / "absent.csv", index)


def test_header_only_file_and_blank_lines_mean_no_decisions(tmp_path, index):
    path = tmp_path / "ta.csv"
    path.write_text("id,decision,reason,reviewer\n\n")
    assert decisions.load_title_abstract(path, index) == {}
