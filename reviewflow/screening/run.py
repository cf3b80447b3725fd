"""``reviewflow screen``: records, clusters and decisions in; ledger, counts and pending out."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
import yaml

from reviewflow.errors import ReviewflowError
from reviewflow.prisma.counts import counts_from_ledger, write_counts
from reviewflow.records import read_csv
from reviewflow.screening import decisions, ledger as ledger_mod, pending as pending_mod

LEDGER = "audit/ledger.csv"
COUNTS = "prisma/counts.json"
PENDING_CSV = "screening/pending.csv"
PENDING_RIS = "screening/pending.ris"


def load_config(path) -> dict:
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewflowError(f"cannot read config: {exc}", str(path)) from None
    for section in ("rounds", "screening"):
        if not isinstance(config, dict) or section not in config:
            raise ReviewflowError(f"config has no '{section}:' section", str(path))
    return config


def _table(path) -> pd.DataFrame:
    try:
        return read_csv(path)
    except (OSError, ValueError) as exc:
        raise ReviewflowError(f"cannot read table: {exc}", str(path)) from None


def screen(record_paths, clusters_path, works_path, config: dict, out) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Build and write the ledger, counts and pending list; return them."""
    records = pd.concat([_table(p) for p in record_paths], ignore_index=True)
    works = _table(works_path)
    base = ledger_mod.ledger_base(records, _table(clusters_path), works, config["rounds"])
    index = decisions.build_index(base)
    labels = dict(zip(base["cluster_id"], base["work_key"]))
    title_abstract = decisions.load_title_abstract(config["screening"]["title_abstract"], index, labels)
    full_text = decisions.load_full_text(config["screening"]["full_text"], index, labels)
    ledger = ledger_mod.build_ledger(base, title_abstract, full_text, config.get("eligibility") or {})
    counts = counts_from_ledger(ledger, config["rounds"])
    waiting = pending_mod.pending(ledger)

    out = Path(out)
    for relative in (LEDGER, COUNTS, PENDING_CSV):
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
    ledger_mod.write_ledger(ledger, out / LEDGER)
    write_counts(counts, out / COUNTS)
    pending_mod.write_csv(waiting, out / PENDING_CSV)
    (out / PENDING_RIS).write_text(pending_mod.to_ris(waiting, works, records), encoding="utf-8")
    return ledger, counts, waiting


def report(ledger: pd.DataFrame, counts: dict, waiting: pd.DataFrame, out) -> None:
    """The run's summary on stderr; pending works are announced, never hidden."""
    click.echo(f"screen: {len(ledger)} records, {counts['records_screened']} screened, "
               f"{counts['dbr_assessed']} assessed, {counts['new_reports']} included", err=True)
    if len(waiting):
        by_stage = waiting["stage"].value_counts().sort_index()
        detail = ", ".join(f"{n} at {stage}" for stage, n in by_stage.items())
        click.echo(f"screen: {len(waiting)} works pending ({detail}); see {Path(out) / PENDING_CSV}; "
                   "counts.json says complete: false", err=True)
