"""Work keys survive re-running: a later round's fuller copy, a merge and a split by override.

Each test runs the real ingest, dedup and screening stages on small RIS exports, decides
works by their rf- keys (as a screening tool's import does) and reruns after the change.
"""

from __future__ import annotations

import contextlib
import random

import fixtures
import pandas as pd
import pytest
import yaml
from screening_fixtures import screen_and_count

from reviewflow.config import round_ranks
from reviewflow.dedup import deduplicate, read_overrides
from reviewflow.dedup.output import write_tables
from reviewflow.errors import ReviewflowError
from reviewflow.exchange.match import WorkIndex
from reviewflow.ingest import read_export
from reviewflow.records import read_csv, write_csv

TA_HEADER = ",".join(fixtures.TA_HEADER) + "\n"
FT_HEADER = ",".join(fixtures.FT_HEADER) + "\n"
# Three papers, as a database exports them (no DOI), and one fuller copy of the first.
ALPHA = {
    "TI": "Intravenous immunoglobulin for digital ulcers in systemic sclerosis",
    "AU": "Levy, Yair",
    "PY": "2015",
    "JO": "Rheumatology",
    "VL": "54",
    "SP": "1201",
    "EP": "1208",
}
ALPHA_FULL = dict(
    ALPHA,
    DO="10.1093/rheumatology/kev001",
    AB="Twelve patients received IVIG for ulcers. " * 5,
    IS="7",
)
BETA = {
    "TI": "Gastrointestinal involvement treated with immunoglobulin in scleroderma",
    "AU": "Raja, Jasmin",
    "PY": "2016",
    "JO": "Clin Rheumatol",
    "VL": "35",
    "SP": "1785",
    "EP": "1790",
}
GAMMA = {
    "TI": "Cardiac outcomes of high dose immunoglobulin therapy in diffuse cutaneous disease",
    "AU": "Sanges, Sebastien",
    "PY": "2017",
    "JO": "Medicine",
    "VL": "96",
    "SP": "e8123",
}


def _ris(records: list[dict]) -> str:
    lines = []
    for fields in records:
        lines.append("TY  - JOUR")
        lines += [f"{tag}  - {value}" for tag, value in fields.items()]
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def run(root, rounds: list[dict[str, list[dict]]], ta_rows=(), overrides=()):
    """Write the exports (per round: file -> records), decisions and overrides; run ingest,
    dedup and screening as the workflow does. Returns (works, ledger, counts)."""
    config = {
        "review": {"title": "Key stability"},
        "rounds": [],
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "dedup": {"overrides": "overrides.csv"},
    }
    tables = []
    for number, files in enumerate(rounds):
        searches = []
        for name, records in files.items():
            path = f"raw/{name}"
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(_ris(records), encoding="utf-8")
            searches.append(
                {"database": name.split(".")[0], "date": f"202{number}-01-01", "exports": [path]}
            )
            table = root / f"records/{path}.csv"
            table.parent.mkdir(parents=True, exist_ok=True)
            write_csv(
                read_export(root / path, source_db=searches[-1]["database"], name=path), table
            )
            tables.append(table)
        config["rounds"].append({"name": f"round{number}", "searches": searches})
    (root / "ta.csv").write_text(
        TA_HEADER + "".join(",".join(row) + "\n" for row in ta_rows), encoding="utf-8"
    )
    (root / "ft.csv").write_text(FT_HEADER, encoding="utf-8")
    (root / "overrides.csv").write_text(
        "id_a,id_b,decision,reviewer,note\n"
        + "".join(f"{a},{b},{d},SK,\n" for a, b, d in overrides),
        encoding="utf-8",
    )
    records = pd.concat([read_csv(t) for t in tables], ignore_index=True)
    result = deduplicate(records, None, read_overrides(root / "overrides.csv"), round_ranks(config))
    write_tables(result, root / "dedup")
    with contextlib.chdir(root):
        ledger, counts, _ = screen_and_count(
            tables,
            root / "dedup/clusters.csv",
            root / "dedup/works.csv",
            config,
            root / "results",
            pairs_path=root / "dedup/pairs.csv",
        )
    return read_csv(root / "dedup/works.csv"), ledger, counts


def key_of(works: pd.DataFrame, title: str) -> str:
    return works.loc[works["title"] == title, "key"].item()


def decided(ledger: pd.DataFrame) -> dict[str, str]:
    primary = ledger[ledger["is_primary"]]
    return dict(zip(primary["title"], primary["status"]))


def test_decisions_by_key_survive_a_later_rounds_fuller_copy(tmp_path):
    first = [{"medline.ris": [ALPHA, BETA, GAMMA]}]
    works, _, _ = run(tmp_path, first)
    rows = [
        (key_of(works, ALPHA["TI"]), "exclude", "Off topic", "SK"),
        (key_of(works, BETA["TI"]), "exclude", "Off topic", "SK"),
        (key_of(works, GAMMA["TI"]), "exclude", "Wrong design", "SK"),
    ]
    _, ledger, counts = run(tmp_path, first, rows)
    # The update round brings Alpha again, now with DOI, issue and abstract: its most complete
    # record.
    updated, ledger2, counts2 = run(tmp_path, first + [{"embase.ris": [ALPHA_FULL]}], rows)
    alpha = updated.loc[updated["title"] == ALPHA["TI"]].iloc[0]
    assert alpha["primary_record_id"] == "raw/embase.ris:1"  # the primary changed ...
    assert set(updated["key"]) == set(works["key"])  # ... the keys did not
    assert decided(ledger) == dict.fromkeys(
        [ALPHA["TI"], BETA["TI"], GAMMA["TI"]], "excluded_screening"
    )
    assert decided(ledger2) == dict.fromkeys(
        [ALPHA["TI"], BETA["TI"], GAMMA["TI"]], "previous_excluded"
    )
    reasons = ledger2.loc[ledger2["is_primary"], "ta_reason"].tolist()
    assert sorted(reasons) == ["Off topic", "Off topic", "Wrong design"]
    assert counts2["previous_studies"] == 0 and counts2["duplicates_previous_round"] == 1
    assert counts2["records_screened"] == 0 and counts2["complete"]
    assert counts["records_screened"] == 3 and counts["records_excluded"] == 3


def test_merged_works_answer_to_both_keys(tmp_path):
    first = [{"medline.ris": [ALPHA, BETA, GAMMA]}]
    works, _, _ = run(tmp_path, first)
    alpha, beta = key_of(works, ALPHA["TI"]), key_of(works, BETA["TI"])
    rows = [
        (alpha, "exclude", "Off topic", "SK"),
        (beta, "exclude", "Off topic", "SK"),
        (key_of(works, GAMMA["TI"]), "include", "", "SK"),
    ]
    merged, ledger, counts = run(
        tmp_path, first, rows, overrides=[("raw/medline.ris:1", "raw/medline.ris:2", "same")]
    )
    assert len(merged) == 2
    work = merged.loc[merged["n_records"] == "2"].iloc[0]
    assert {work["key"], *work["aliases"].split("; ")} >= {alpha, beta}
    # Both keys' decisions reach the merged work (they agree, so it is one decision).
    primary = ledger[ledger["is_primary"] & (ledger["cluster_id"] == str(work["cluster_id"]))]
    assert primary["status"].tolist() == ["excluded_screening"] and primary[
        "ta_reason"
    ].tolist() == ["Off topic"]
    assert (
        counts["records_screened"] == 2
        and counts["records_excluded"] == 1
        and counts["duplicates"] == 1
    )
    # A screening tool's record carrying the old key matches the merged work too.
    assert WorkIndex(merged).match({"keys": [beta], "doi": "", "pmid": ""})[0] == work["key"]


def test_a_split_works_old_key_is_ambiguous_naming_both_parts(tmp_path):
    copy = dict(ALPHA, SP="1201", EP="8")  # the same paper exported twice: one work
    first = [{"medline.ris": [ALPHA, BETA], "embase.ris": [copy]}]
    works, _, _ = run(tmp_path, first)
    assert len(works) == 2
    old = key_of(works, ALPHA["TI"])
    rows = [(old, "exclude", "Off topic", "SK")]
    split = [("raw/medline.ris:1", "raw/embase.ris:1", "different")]
    with pytest.raises(ReviewflowError) as error:
        run(tmp_path, first, rows, overrides=split)
    parts = read_csv(tmp_path / "dedup/works.csv").query(
        "n_records == '1' and title == @ALPHA['TI']"
    )
    assert len(parts) == 2 and old not in set(parts["key"])
    assert set(parts["split_from"]) == {old}
    message = str(error.value)
    assert f"id {old!r} is the key of a work that the dedup overrides split" in message
    assert all(key in message for key in parts["key"])
    # Naming the parts by their own keys decides them.
    rows = [(key, "exclude", "Off topic", "SK") for key in parts["key"]] + [
        (key_of(works, BETA["TI"]), "include", "", "")
    ]
    _, ledger, counts = run(tmp_path, first, rows, overrides=split)
    assert counts["records_screened"] == 3 and counts["records_excluded"] == 2


def test_keys_do_not_depend_on_the_order_of_records_or_files(tmp_path):
    papers = [ALPHA, BETA, GAMMA, ALPHA_FULL, dict(BETA, DO="10.1007/s10067-016-3200-1")]
    works, _, counts = run(tmp_path / "a", [{"medline.ris": papers[:3], "embase.ris": papers[3:]}])
    shuffled = random.Random(7).sample(papers, len(papers))
    again, _, counts2 = run(
        tmp_path / "b", [{"embase.ris": shuffled[:2], "medline.ris": shuffled[2:]}]
    )
    assert sorted(works["key"]) == sorted(again["key"])
    assert counts2 == counts


def test_dedup_cli_takes_the_rounds_from_the_config(tmp_path):
    from click.testing import CliRunner

    from reviewflow.cli import cli

    first = [{"medline.ris": [ALPHA, BETA, GAMMA]}]
    works, _, _ = run(tmp_path, first)
    run(tmp_path, first + [{"embase.ris": [ALPHA_FULL]}])
    config = {
        "review": {"title": "t"},
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "rounds": [
            {
                "name": "one",
                "searches": [
                    {"database": "medline", "date": "2020-01-01", "exports": ["raw/medline.ris"]}
                ],
            },
            {
                "name": "two",
                "searches": [
                    {"database": "embase", "date": "2021-01-01", "exports": ["raw/embase.ris"]}
                ],
            },
        ],
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    tables = [
        str(tmp_path / "records/raw/medline.ris.csv"),
        str(tmp_path / "records/raw/embase.ris.csv"),
    ]
    result = CliRunner().invoke(
        cli,
        [
            "dedup",
            *tables,
            "--config",
            str(tmp_path / "config.yaml"),
            "--out",
            str(tmp_path / "cli"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert set(read_csv(tmp_path / "cli/works.csv")["key"]) == set(works["key"])


def test_a_later_rounds_work_sharing_a_doi_takes_no_earlier_works_key(tmp_path):
    # Two chapters of one book carry the book's DOI; the part numbers keep them apart.
    chapter = {
        "TI": "Immunoglobulin therapy in connective tissue disease, part 1",
        "AU": "Levy, Yair",
        "PY": "2019",
        "DO": "10.1007/978-3-030-00001-1",
    }
    first = [{"medline.ris": [chapter, BETA]}]
    works, _, _ = run(tmp_path, first)
    updated, _, _ = run(
        tmp_path, first + [{"embase.ris": [dict(chapter, TI=chapter["TI"].replace("1", "2"))]}]
    )
    assert len(updated) == 3
    assert key_of(updated, chapter["TI"]) == key_of(works, chapter["TI"])
    assert len(set(updated["key"])) == 3
