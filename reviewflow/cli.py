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
@click.option("--pairs", default=None, type=click.Path(dir_okay=False),
              help="results/dedup/pairs.csv (needed with several rounds: an update must change no earlier work)")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="config/config.yaml")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="results directory")
@clear_errors
def screen(records, clusters, works, pairs, config_path, out):
    """Apply screening decisions and eligibility rules: ledger, PRISMA counts, pending list."""
    from reviewflow.screening.run import load_config, report, screen as run_screen

    report(*run_screen(records, clusters, works, load_config(config_path), out, pairs), out)
