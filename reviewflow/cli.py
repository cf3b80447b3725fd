"""The ``reviewflow`` command-line tool. Every command is a thin call into the package."""

from __future__ import annotations

import functools
import sys

import click

from reviewflow.errors import ReviewflowError


def clear_errors(func):
    """Turn a ReviewflowError into its message on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ReviewflowError as exc:
            click.echo(f"reviewflow: error: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group()
@click.version_option(package_name="reviewflow")
def cli():
    """From database exports to PRISMA 2020 counts, reproducibly."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="CSV to write.")
@click.option("--database", default=None, help="Source database name to record (default: from the content).")
@clear_errors
def ingest(files, out, database):
    """Read database exports (any supported format) into one normalised CSV."""
    import pandas as pd

    from reviewflow.ingest import read_export
    from reviewflow.records import write_csv

    frames = []
    for path in files:
        frame = read_export(path, source_db=database)
        click.echo(f"{path}: {len(frame)} records", err=True)
        frames.append(frame)
    write_csv(pd.concat(frames, ignore_index=True), out)


@cli.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--clusters", required=True, type=click.Path(dir_okay=False), help="results/dedup/clusters.csv")
@click.option("--works", required=True, type=click.Path(dir_okay=False), help="results/dedup/works.csv")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="config/config.yaml")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="results directory")
@clear_errors
def screen(records, clusters, works, config_path, out):
    """Apply screening decisions and eligibility rules: ledger, PRISMA counts, pending list."""
    from reviewflow.screening.run import load_config, report, screen as run_screen

    report(*run_screen(records, clusters, works, load_config(config_path), out), out)


@cli.group()
def extraction():
    """Extraction and risk-of-bias workbooks for the included studies."""


@extraction.command("write")
@click.option("--ledger", required=True, type=click.Path(dir_okay=False, exists=True), help="results/audit/ledger.csv")
@click.option("--works", required=True, type=click.Path(dir_okay=False, exists=True), help="results/dedup/works.csv")
@click.option("--config", "config_path", default="config/config.yaml", show_default=True,
              type=click.Path(dir_okay=False, exists=True), help="Config with the `extraction:` section.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory for the workbooks.")
@clear_errors
def extraction_write(ledger, works, config_path, out):
    """Write extraction.xlsx, rob2.xlsx and robins_i.xlsx pre-filled for the included studies."""
    from pathlib import Path

    from reviewflow.extraction import ROB_TOOLS, included_studies, load_spec, write_extraction, write_rob
    from reviewflow.extraction.studies import LEDGER_NEEDS, WORKS_NEEDS, read_table

    spec = load_spec(config_path)
    studies = included_studies(read_table(ledger, LEDGER_NEEDS), read_table(works, WORKS_NEEDS), ledger)
    out = Path(out)
    write_extraction(studies, spec, out / "extraction.xlsx")
    for tool in ROB_TOOLS.values():
        write_rob(studies, spec, tool, out / f"{tool.key}.xlsx")
    click.echo(f"{len(studies)} included studies -> {out}/extraction.xlsx, rob2.xlsx, robins_i.xlsx", err=True)


@extraction.command("read")
@click.argument("workbook", type=click.Path(dir_okay=False, exists=True))
@click.option("--rob", "robs", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="A completed RoB 2 or ROBINS-I sheet (.xlsx or .csv); repeatable.")
@click.option("--config", "config_path", default="config/config.yaml", show_default=True,
              type=click.Path(dir_okay=False, exists=True), help="Config with the `extraction:` section.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory for the outputs.")
@clear_errors
def extraction_read(workbook, robs, config_path, out):
    """Validate a completed extraction sheet (.xlsx or .csv) and write table1.csv/.md; with
    --rob, also <tool>_robvis.csv and <tool>_traffic_light.png."""
    from pathlib import Path

    from reviewflow.extraction import load_spec, read_extraction, read_rob
    from reviewflow.extraction.figure import traffic_light
    from reviewflow.extraction.summary import flag_mismatches, write_robvis, write_table1

    spec = load_spec(config_path)
    out = Path(out)
    rows = read_extraction(workbook, spec)
    for note in flag_mismatches(rows, spec):
        click.echo(f"{workbook}: note: {note}", err=True)
    written = write_table1(rows, spec, out)
    for path in robs:
        tool, rob = read_rob(path, rows, spec)
        written.append(write_robvis(tool, rob, out))
        written.append(out / f"{tool.key}_traffic_light.png")
        traffic_light(tool, rob, written[-1])
    click.echo(f"{workbook}: {len(rows)} studies -> " + ", ".join(str(p) for p in written), err=True)
