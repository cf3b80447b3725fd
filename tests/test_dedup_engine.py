"""Outputs, determinism, overrides, CLI and an accuracy floor on the shared labelled sets."""

import dataclasses
import logging

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from dedup_helpers import frame

from reviewflow.cli import cli
from reviewflow.dedup import DedupSettings, deduplicate, read_overrides
from reviewflow.dedup.works import CLUSTER_COLUMNS, WORK_COLUMNS
from reviewflow.errors import ReviewflowError
from reviewflow.ingest import read_export

PAPER = dict(
    title="Intravenous immunoglobulin in systemic sclerosis: a systematic review",
    author="Koczanowski, J; Smith, A",
    year="2024",
    journal="Semin Arthritis Rheum",
    volume="68",
    pages="152471",
)
FULLER = PAPER | dict(
    journal="Seminars in Arthritis and Rheumatism",
    doi="10.1016/j.semarthrit.2024.152471",
    abstract="Background: IVIG is used in systemic sclerosis.",
)
OTHER = dict(
    title="Rituximab in diffuse cutaneous systemic sclerosis",
    author="Ebata, S",
    year="2021",
    doi="10.1/r",
)


def run(records, overrides=None, **settings):
    return deduplicate(records, dataclasses.replace(DedupSettings.of(), **settings), overrides)


def test_tables_follow_the_contract():
    result = run(frame(PAPER, FULLER, OTHER))
    clusters, pairs, works = result.clusters, result.pairs, result.works
    assert list(clusters.columns) == CLUSTER_COLUMNS
    assert list(works.columns) == WORK_COLUMNS
    assert len(clusters) == 3 and len(works) == 2
    assert clusters["record_id"].is_unique
    merged = clusters[
        clusters["cluster_id"] == clusters.loc[clusters["source_index"] == 1, "cluster_id"].item()
    ]
    primary = merged[merged["is_primary"]]
    # The most complete record is the primary; the other points at it with its rule.
    assert primary["source_index"].tolist() == [2]
    duplicate = merged[~merged["is_primary"]].iloc[0]
    assert duplicate["duplicate_of"] == primary["record_id"].item()
    assert (
        duplicate["rule"] in {"title_authors", "title_citation", "citation"}
        and duplicate["score"] == 100.0
    )
    assert (pairs["rule"] == duplicate["rule"]).all() and len(pairs) == 1
    work = works[works["n_records"] == 2].iloc[0]
    assert work["dois"] == "10.1016/j.semarthrit.2024.152471"
    assert work["source_ids"] == "r1; r2"
    assert work["key"].startswith("rf-") and len(work["key"]) == 13
    assert works["key"].is_unique


def test_work_keys_are_unique_even_when_works_share_a_doi():
    chapter = dict(
        title="Scleroderma renal crisis",
        author="Steen, V",
        year="2017",
        doi="10.1007/978-3-319-31407-5",
    )
    other = dict(
        title="Pulmonary hypertension in systemic sclerosis",
        author="Hassoun, P",
        year="2017",
        doi="10.1007/978-3-319-31407-5",
    )
    assert run(frame(chapter, other)).works["key"].is_unique


def test_output_is_independent_of_input_order(shared):
    records = read_export(shared / "benchmarks/dedup/haematology/records.ris").iloc[:400]
    first = run(records)
    shuffled = run(records.sample(frac=1, random_state=7).reset_index(drop=True))
    for name in ("clusters", "pairs", "works"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(shuffled, name))


def test_overrides_are_applied_before_clustering(tmp_path):
    records = frame(PAPER, FULLER, OTHER)
    path = tmp_path / "overrides.csv"
    # "different" by DOI and source id; "same" by record_id and source id.
    path.write_text(
        "id_a,id_b,decision,reviewer,note\n"
        "10.1016/j.semarthrit.2024.152471,r1,different,JK,erratum\n"
        "test.ris:3,r2,same,JK,\n"
    )
    result = run(records, read_overrides(path))
    cluster = result.clusters.set_index("source_index")["cluster_id"]
    assert cluster[1] != cluster[2] and cluster[2] == cluster[3]
    assert set(result.pairs["rule"]) == {"override"}


def test_an_override_different_holds_against_a_chain():
    a, b, c = (
        PAPER,
        PAPER | {"doi": "10.1/x"},
        PAPER | {"journal": "Seminars in Arthritis and Rheumatism"},
    )
    overrides = pd.DataFrame(
        [
            {
                "id_a": "test.ris:1",
                "id_b": "test.ris:3",
                "decision": "different",
                "reviewer": "",
                "note": "",
            }
        ]
    )
    cluster = run(frame(a, b, c), overrides).clusters.set_index("source_index")["cluster_id"]
    assert cluster[1] != cluster[3]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("id_a,id_b\nx,y\n", 1, "decision"),
        ("id_a,id_b,decision\nx,y,same\nx,y,maybe\n", 3, "maybe"),
        ("id_a,id_b,decision\nx,,same\n", 2, "both"),
        ("id_a,id_b,decision\nx,y,same,extra\n", 2, "fields"),
    ],
)
def test_malformed_overrides_name_their_line(tmp_path, text, line, message):
    path = tmp_path / "overrides.csv"
    path.write_text(text)
    with pytest.raises(ReviewflowError, match=message) as error:
        read_overrides(path)
    assert f"overrides.csv:{line}:" in str(error.value)


def test_unknown_override_ids_are_reported_not_fatal(caplog):
    overrides = pd.DataFrame(
        [{"id_a": "nope", "id_b": "r1", "decision": "same", "reviewer": "", "note": ""}]
    )
    with caplog.at_level(logging.WARNING, logger="reviewflow"):
        result = run(frame(PAPER, OTHER), overrides)
    assert result.clusters["cluster_id"].nunique() == 2
    assert "no record has id nope" in caplog.text


def test_progress_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="reviewflow"):
        deduplicate(frame(PAPER, FULLER))
    for stage in ("records normalised", "candidate pairs", "pairs compared", "clusters"):
        assert stage in caplog.text


COCHRANE_VERSIONS = "".join(
    "TY  - JOUR\nTI  - Air versus oxygen for resuscitation of "
    f"infants at birth\nAU  - Tan, A\nPY  - {year}\n"
    "T2  - Cochrane Database Syst Rev\nSP  - CD002273\nDO  - "
    f"10.1002/14651858.CD002273.{version}\nER  - \n\n"
    for year, version in ((2004, "pub2"), (2005, "pub3"))
)


@pytest.mark.parametrize(
    "setting, option, works",
    [
        (None, None, 1),  # the schema's default: same
        ("distinct", None, 2),
        ("distinct", "same", 1),  # the command line's option wins over the config
    ],
)
def test_cli_takes_the_dedup_settings_from_the_config(tmp_path, setting, option, works):
    export = tmp_path / "cochrane.ris"
    export.write_text(COCHRANE_VERSIONS)
    config = {
        "review": {"title": "t"},
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "rounds": [
            {
                "name": "one",
                "searches": [{"database": "CDSR", "date": "2024-01-01", "exports": [str(export)]}],
            }
        ],
    }
    if setting:
        config["dedup"] = {"cochrane_versions": setting}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    args = [
        "dedup",
        str(export),
        "--config",
        str(tmp_path / "config.yaml"),
        "--out",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(cli, args + (["--cochrane-versions", option] if option else []))
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "out/works.csv")) == works


def test_cli_names_a_bad_dedup_setting_in_the_config(tmp_path):
    export = tmp_path / "cochrane.ris"
    export.write_text(COCHRANE_VERSIONS)
    config = {
        "review": {"title": "t"},
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "rounds": [
            {
                "name": "one",
                "searches": [{"database": "CDSR", "date": "2024-01-01", "exports": [str(export)]}],
            }
        ],
        "dedup": {"cochrane_versions": "maybe"},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    result = CliRunner().invoke(
        cli,
        [
            "dedup",
            str(export),
            "--config",
            str(tmp_path / "config.yaml"),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'config.yaml'}: dedup.cochrane_versions: 'maybe' is not one of same, distinct"
        in result.output
    )


def _ris(path, records):
    lines = []
    for values in records:
        lines += ["TY  - JOUR", f"TI  - {values['title']}"]
        lines += [f"AU  - {a.strip()}" for a in values["author"].split(";")]
        lines += [f"PY  - {values['year']}", f"T2  - {values.get('journal', '')}", "ER  - ", ""]
    path.write_text("\n".join(lines))


def test_cli_writes_the_three_tables(tmp_path):
    _ris(tmp_path / "medline.ris", [PAPER, OTHER])
    _ris(tmp_path / "embase.ris", [PAPER | {"title": PAPER["title"].upper()}])
    out = tmp_path / "dedup"
    result = CliRunner().invoke(
        cli,
        ["dedup", str(tmp_path / "medline.ris"), str(tmp_path / "embase.ris"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out / "clusters.csv", dtype=str, keep_default_na=False)
    assert {
        "source_file",
        "source_index",
        "source_id",
        "cluster_id",
        "is_primary",
        "rule",
        "score",
    } <= set(clusters.columns)
    assert len(clusters) == 3 and clusters["cluster_id"].nunique() == 2
    assert len(pd.read_csv(out / "works.csv")) == 2 and len(pd.read_csv(out / "pairs.csv")) == 1
    # Byte-for-byte deterministic.
    before = {
        name: (out / name).read_bytes() for name in ("clusters.csv", "pairs.csv", "works.csv")
    }
    CliRunner().invoke(
        cli,
        ["dedup", str(tmp_path / "embase.ris"), str(tmp_path / "medline.ris"), "--out", str(out)],
    )
    assert before == {name: (out / name).read_bytes() for name in before}


def test_cli_reports_a_bad_overrides_file(tmp_path):
    _ris(tmp_path / "a.ris", [PAPER])
    bad = tmp_path / "overrides.csv"
    bad.write_text("id_a,id_b,decision\nr1,r2,perhaps\n")
    result = CliRunner().invoke(
        cli,
        ["dedup", str(tmp_path / "a.ris"), "--out", str(tmp_path / "o"), "--overrides", str(bad)],
    )
    assert result.exit_code == 2
    assert "overrides.csv:2:" in result.output and "perhaps" in result.output


def test_cli_shows_the_librarys_progress_and_warnings_on_stderr(tmp_path):
    _ris(tmp_path / "a.ris", [PAPER, OTHER])
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("id_a,id_b,decision\nnope,a.ris:1,same\n")
    result = CliRunner().invoke(
        cli,
        [
            "dedup",
            str(tmp_path / "a.ris"),
            "--out",
            str(tmp_path / "o"),
            "--overrides",
            str(overrides),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "] 2 records normalised" in result.stderr and "2 records -> 2 works" in result.stderr
    assert (
        "reviewflow: WARNING: dedup: override nope / a.ris:1: no record has id nope"
        in result.stderr
    )
    assert result.stdout == ""


def test_cli_takes_the_overrides_from_the_config_unless_given(tmp_path, monkeypatch):
    # What the workflow's rule and verify's re-derivation both rely on: --config alone
    # applies the review's overrides file; an --overrides option replaces it.
    import yaml

    monkeypatch.chdir(tmp_path)
    _ris(tmp_path / "medline.ris", [PAPER])
    _ris(tmp_path / "embase.ris", [PAPER | {"title": PAPER["title"].upper()}])
    (tmp_path / "split.csv").write_text(
        "id_a,id_b,decision\nmedline.ris:1,embase.ris:1,different\n"
    )
    (tmp_path / "none.csv").write_text("id_a,id_b,decision\n")
    config = {
        "review": {"title": "Overrides"},
        "rounds": [
            {
                "name": "original",
                "searches": [
                    {"database": db, "date": "2024-04-15", "exports": [f"{db.lower()}.ris"]}
                    for db in ("MEDLINE", "Embase")
                ],
            }
        ],
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "dedup": {"overrides": "split.csv"},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    for extra, works in (([], 2), (["--overrides", "none.csv"], 1)):
        result = CliRunner().invoke(
            cli,
            [
                "dedup",
                "medline.ris",
                "embase.ris",
                "--config",
                "config.yaml",
                "--out",
                "dedup",
                *extra,
            ],
        )
        assert result.exit_code == 0, result.output
        assert len(pd.read_csv(tmp_path / "dedup/works.csv")) == works, extra


def _pairwise(truth: pd.Series, predicted: pd.Series) -> tuple[float, float]:
    both = pd.DataFrame({"t": truth, "p": predicted})
    count = lambda sizes: int((sizes * (sizes - 1) // 2).sum())  # noqa: E731
    hits = count(both.groupby(["t", "p"]).size())
    return hits / max(count(both.groupby("p").size()), 1), hits / max(
        count(both.groupby("t").size()), 1
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, min_precision, min_recall",
    [("diabetes", 0.998, 0.98), ("cytology_screening", 0.998, 0.98), ("dblp_acm", 0.995, 0.95)],
)
def test_accuracy_floor_on_labelled_sets(shared, name, min_precision, min_recall):
    folder = shared / "benchmarks/dedup" / name
    truth = pd.read_csv(folder / "truth.csv", dtype=str).set_index("record_id")["group_id"]
    clusters = run(read_export(folder / "records.ris")).clusters.set_index("source_id")[
        "cluster_id"
    ]
    precision, recall = _pairwise(truth, clusters.reindex(truth.index))
    assert precision >= min_precision and recall >= min_recall, (precision, recall)
    assert np.isfinite(precision)


def test_one_record_and_no_records():
    single = run(frame(PAPER))
    assert (
        len(single.clusters) == 1 and single.clusters["is_primary"].all() and len(single.pairs) == 0
    )
    none = run(frame(PAPER).iloc[:0])
    assert len(none.clusters) == 0 and len(none.works) == 0
