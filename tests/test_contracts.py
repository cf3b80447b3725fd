"""The tables the stages write are those of reviewflow.contracts, which docs/contracts.md shows."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import reviewflow as rf
from reviewflow import contracts
from reviewflow.config import round_ranks

REPO = Path(__file__).resolve().parent.parent


def test_docs_contracts_md_is_generated_from_the_module():
    committed = (REPO / "docs/contracts.md").read_text(encoding="utf-8")
    assert committed == contracts.markdown(), (
        "run: python -m reviewflow.contracts > docs/contracts.md"
    )


def test_every_column_type_is_explained_and_every_table_linked():
    text = contracts.markdown()
    for table in contracts.TABLES:
        anchor = re.sub(r"[^a-z0-9_-]", "", table.name.lower())  # GitHub's heading anchors
        assert f"](#{anchor})" in text and f"\n## {table.name}\n" in text


def test_a_reader_cannot_need_a_column_no_stage_writes():
    with pytest.raises(KeyError, match="works has no column 'keys'"):
        contracts.WORKS.needs("cluster_id", "keys")


@pytest.fixture(scope="module")
def update_run(tmp_path_factory):
    """The embedded review's update (two rounds) through ingest, dedup and screen."""
    out = tmp_path_factory.mktemp("contracts")
    with contextlib.chdir(REPO):
        config = rf.load_config("config/update-example.yaml")
        tables = []
        for round_ in config["rounds"]:
            for search in round_["searches"]:
                for export in search["exports"]:
                    table = out / "records" / f"{export}.csv"
                    table.parent.mkdir(parents=True, exist_ok=True)
                    rf.write_records(rf.read_export(export, source_db=search["database"]), table)
                    tables.append(table)
        records = pd.concat([rf.read_records(table) for table in tables], ignore_index=True)
        rf.write_dedup_tables(rf.deduplicate(records, round_of=round_ranks(config)), out / "dedup")
        rf.screen(
            tables,
            out / "dedup/clusters.csv",
            out / "dedup/works.csv",
            config,
            out,
            out / "dedup/pairs.csv",
            out / "dedup/related.csv",
        )
        rf.write_counts_of(out / "audit/ledger.csv", config, out / contracts.COUNTS.file)
    return out


@pytest.mark.parametrize(
    "table", [t for t in contracts.TABLES if t.file.endswith(".csv")], ids=lambda t: t.name
)
def test_each_table_the_stages_write_has_the_contracts_columns_in_order(update_run, table):
    paths = sorted(update_run.glob(table.file.replace("<export>", "**/*")))
    assert paths
    for path in paths:
        assert path.read_text(encoding="utf-8").splitlines()[0].split(",") == table.names, path


def test_counts_json_of_an_update_has_every_key_of_the_contract(update_run):
    counts = json.loads((update_run / contracts.COUNTS.file).read_text(encoding="utf-8"))
    # The update example searches no register and uses no other method.
    searched = [
        c.name
        for c in contracts.COUNTS.columns
        if not c.meaning.endswith((contracts.ONLY_REGISTERS, contracts.ONLY_METHODS))
    ]
    assert sorted(counts) == sorted(searched)
