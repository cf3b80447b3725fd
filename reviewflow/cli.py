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
@click.option("--ledger", required=True, type=click.Path(dir_okay=False), help="results/audit/ledger.csv")
@click.option("--counts", required=True, type=click.Path(dir_okay=False), help="results/prisma/counts.json")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="The review's config.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory to write into.")
@clear_errors
def prisma(ledger, counts, config_path, out):
    """Draw the PRISMA 2020 flow diagram (SVG, PNG, PDF, interactive HTML), PRISMA.csv
    and the database-overlap table and figure."""
    from reviewflow.prisma.outputs import write_prisma

    for path in write_prisma(ledger, counts, config_path, out):
        click.echo(f"wrote {path}", err=True)


@cli.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="The review's config.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="manifest.json to write.")
@clear_errors
def manifest(config_path, out):
    """Record SHA-256 of the config, exports and decision files, and all versions."""
    from reviewflow.audit.manifest import write_manifest

    write_manifest(config_path, out)


@cli.command()
@click.argument("results_dir", default="results", type=click.Path(file_okay=False))
@click.option("--root", default=None, type=click.Path(file_okay=False),
              help="Where the manifest's paths are relative to (default: RESULTS_DIR's parent).")
@clear_errors
def verify(results_dir, root):
    """Re-derive every PRISMA number from the ledger and exports; exit 1 naming each discrepancy."""
    from reviewflow.audit.verify import verify as run_verify

    problems = run_verify(results_dir, root)
    for problem in problems:
        click.echo(f"FAIL {problem}")
    if problems:
        click.echo(f"reviewflow verify: {len(problems)} discrepancies", err=True)
        sys.exit(1)
    click.echo(f"reviewflow verify: {results_dir} OK: every count re-derived from the ledger, every export "
               "record present once, every file matches the manifest, the PRISMA arithmetic holds")
