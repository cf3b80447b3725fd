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
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Directory for clusters.csv, pairs.csv, works.csv.")
@click.option("--overrides", default=None, type=click.Path(dir_okay=False), help="Reviewer's same/different pairs (CSV: id_a,id_b,decision).")
@click.option("--cochrane-versions", type=click.Choice(["same", "distinct"]), default="same", show_default=True, help="Are .pub2/.pub3 versions of a Cochrane review one work?")
@click.option("--preprint-journal", type=click.Choice(["same", "distinct"]), default="distinct", show_default=True, help="Are a preprint and its journal article one work?")
@clear_errors
def dedup(files, out, overrides, cochrane_versions, preprint_journal):
    """Find the records that are the same work; write clusters, merged pairs and works to --out."""
    import pandas as pd

    from reviewflow.dedup import deduplicate, read_overrides
    from reviewflow.dedup.output import read_records, write_tables

    frames = []
    for path in files:
        frame = read_records(path)
        click.echo(f"{path}: {len(frame)} records", err=True)
        frames.append(frame)
    reviewer = read_overrides(overrides) if overrides else None
    settings = {"cochrane_versions": cochrane_versions, "preprint_journal": preprint_journal}
    result = deduplicate(pd.concat(frames, ignore_index=True), settings, reviewer)
    write_tables(result, out)
    click.echo(f"{len(result.clusters)} records -> {len(result.works)} works in {out}", err=True)
