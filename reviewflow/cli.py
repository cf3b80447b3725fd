"""The ``reviewflow`` command-line tool. Every command is a thin call into the package."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import logging
import sys

import click

from reviewflow.config import METHODS
from reviewflow.errors import ReviewflowError


def clear_errors(func):
    """Turn a ReviewflowError into its message on stderr and exit status 2. So too an
    OSError (a file that cannot be read or written: no such directory, no permission,
    disk full) that no reader turned into one: it names its file."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ReviewflowError as exc:
            click.echo(f"reviewflow: error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"reviewflow: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)

    return wrapper


# The extraction commands' --config: the workbooks and their read-back share one section.
_extraction_config = click.option(
    "--config",
    "config_path",
    default="config/config.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Config with the `extraction:` section.",
)


def _with_parent(_ctx, _param, path):
    """An --out file's directory is made if it does not exist yet."""
    if path:
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def without_cycle_collector():
    """A batch run (dedup) makes millions of small objects that live until it ends: the
    cyclic garbage collector would walk them again and again while they are made, and
    once more at exit, looking for cycles that pandas and numpy scarcely make (a fifth
    of the command's time on 5,000 records). It is off while the run works; at exit
    (after every output file is closed) what is left is not walked again."""
    gc.disable()
    atexit.register(gc.freeze)
    try:
        yield
    finally:
        gc.enable()


class _Console(logging.Handler):
    """The library's log on stderr, which the workflow's rules keep in results/logs/:
    progress and notes as the library words them, warnings marked as such. stderr is
    looked up at each message, so the log goes wherever the command's stderr goes."""

    def emit(self, record):
        try:
            message = self.format(record)
            if record.levelno >= logging.WARNING:
                message = f"reviewflow: {record.levelname}: {message}"
            click.echo(message, err=True)
        except Exception:  # logging's own contract: a failing handler must not stop the run
            self.handleError(record)


def _show_log() -> None:
    """The package's progress (INFO) and everyone's warnings on the console, once per process."""
    root = logging.getLogger()
    if not any(isinstance(handler, _Console) for handler in root.handlers):
        root.addHandler(_Console())
    logging.getLogger("reviewflow").setLevel(logging.INFO)


def _told(path, records):
    """Each file's records as a stage reads it."""
    click.echo(f"{path}: {len(records)} records", err=True)


@click.group()
@click.version_option(package_name="reviewflow")
def cli():
    """From database exports to PRISMA 2020 counts, reproducibly."""
    _show_log()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    callback=_with_parent,
    help="CSV to write.",
)
@click.option(
    "--database", default=None, help="Source database name to record (default: from the content)."
)
@click.option(
    "--register",
    default=None,
    help="Or the trial register FILES were downloaded from, the name "
    "to record (e.g. ClinicalTrials.gov).",
)
@click.option(
    "--method",
    default=None,
    type=click.Choice(list(METHODS)),
    help="Or the other method FILES list the records of (e.g. citation searching).",
)
@clear_errors
def ingest(files, out, database, register, method):
    """Read database or register exports, or an other method's list, FILES (any supported
    format, detected from the content) into one normalised record table (CSV)."""
    from reviewflow.ingest import ingest as run_ingest

    if len([source for source in (database, register, method) if source]) > 1:
        raise click.UsageError(
            "give one of --database, --register and --method: one search is of one source"
        )

    def told(path, records):
        _told(path, records)
        if register and not records["publication_type"].eq("trial registration").any():
            click.echo(
                f"{path}: warning: no record is a trial registration: is this "
                f"{register}'s own download?",
                err=True,
            )

    run_ingest(files, out, database or register or method, on_read=told)


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--database",
    "databases",
    multiple=True,
    metavar="FILE=NAME",
    help="The database FILE was searched in, as the PRISMA diagram names it (default: read from "
    "the content); repeatable.",
)
@click.option(
    "--date",
    "dates",
    multiple=True,
    metavar="[DATABASE=]YYYY-MM-DD",
    help="The day the searches (or DATABASE's search) were run (default: the export file's date); "
    "repeatable.",
)
@click.option("--title", default=None, help="The review's title (default: DIRECTORY's name).")
@clear_errors
def init(directory, files, databases, dates, title):
    """Start a review in DIRECTORY from the database export FILES: copies them into raw_exports/,
    writes config/config.yaml naming them, empty decision files and a README.md saying what next.
    Exports of one database are one search; its name and date come from the content and the file
    unless given. Nothing is overwritten."""
    from reviewflow.init import start_review

    review = start_review(
        directory,
        files,
        databases,
        dates,
        title,
        on_export=lambda export: click.echo(export.describe(), err=True),
    )
    click.echo("\n".join(review.summary()))


@cli.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--clusters", required=True, type=click.Path(dir_okay=False), help="results/dedup/clusters.csv"
)
@click.option(
    "--works", required=True, type=click.Path(dir_okay=False), help="results/dedup/works.csv"
)
@click.option(
    "--pairs",
    default=None,
    type=click.Path(dir_okay=False),
    help="results/dedup/pairs.csv (needed with several rounds: an "
    "update must change no earlier work)",
)
@click.option(
    "--related",
    default=None,
    type=click.Path(dir_okay=False),
    help="results/dedup/related.csv (flags works with an erratum or retraction notice)",
)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="config/config.yaml",
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="results directory")
@clear_errors
def screen(records, clusters, works, pairs, related, config_path, out):
    """Apply screening decisions and eligibility rules: ledger, PRISMA counts, pending list.

    RECORDS are the record tables `reviewflow ingest` wrote (results/records/...csv), one per
    export of every round in the config."""
    from reviewflow.config import load
    from reviewflow.paths import SCREENING
    from reviewflow.screening.run import screen as run_screen

    ledger, waiting = run_screen(records, clusters, works, load(config_path), out, pairs, related)
    statuses = ledger["status"].value_counts().sort_index()
    click.echo(
        f"screen: {len(ledger)} records: "
        + ", ".join(f"{n} {status}" for status, n in statuses.items()),
        err=True,
    )
    if len(waiting):  # announced, never hidden
        by_stage = waiting["stage"].value_counts().sort_index()
        detail = ", ".join(f"{n} at {stage}" for stage, n in by_stage.items())
        click.echo(
            f"screen: {len(waiting)} works pending ({detail}); see "
            f"{SCREENING.under(out)['pending']}",
            err=True,
        )


@cli.command()
@click.option(
    "--ledger", required=True, type=click.Path(dir_okay=False), help="results/audit/ledger.csv"
)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The review's config.",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="counts.json to write.")
@clear_errors
def counts(ledger, config_path, out):
    """Count the PRISMA 2020 numbers over the ledger `reviewflow screen` wrote (counts.json, in the
    field names of the PRISMA2020 R package's template)."""
    from reviewflow.config import load
    from reviewflow.prisma.counts import write_counts_of

    found = write_counts_of(ledger, load(config_path), out)
    click.echo(
        f"counts: {found['records_screened']} screened, {found['dbr_assessed']} assessed, "
        f"{found['new_reports']} included -> {out}",
        err=True,
    )
    if not found["complete"]:
        click.echo(
            f"counts: works are still pending (results/screening/pending.csv), so {out} says "
            "complete: false",
            err=True,
        )


@cli.group()
def extraction():
    """Extraction and risk-of-bias workbooks for the included studies."""


@extraction.command("write")
@click.option(
    "--ledger",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="results/audit/ledger.csv",
)
@click.option(
    "--works",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="results/dedup/works.csv",
)
@_extraction_config
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Directory for the workbooks."
)
@clear_errors
def extraction_write(ledger, works, config_path, out):
    """Write extraction.xlsx, rob2.xlsx and robins_i.xlsx pre-filled for the included studies."""
    from reviewflow.extraction import (
        ROB_TOOLS,
        included_studies,
        load_spec,
        write_extraction,
        write_rob,
    )
    from reviewflow.extraction.studies import LEDGER_NEEDS, WORKS_NEEDS, read_table
    from reviewflow.paths import EXTRACTION

    spec = load_spec(config_path)
    studies = included_studies(
        read_table(ledger, LEDGER_NEEDS), read_table(works, WORKS_NEEDS), ledger
    )
    written = EXTRACTION.under(out)
    write_extraction(studies, spec, written["extraction"])
    for tool in ROB_TOOLS.values():
        write_rob(studies, spec, tool, written[tool.key])
    click.echo(
        f"{len(studies)} included studies -> " + ", ".join(map(str, written.values())), err=True
    )


@extraction.command("read")
@click.argument("workbook", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--rob",
    "robs",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="A completed RoB 2 or ROBINS-I sheet (.xlsx or .csv); repeatable.",
)
@_extraction_config
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Directory for the outputs."
)
@clear_errors
def extraction_read(workbook, robs, config_path, out):
    """Validate a completed extraction sheet WORKBOOK (.xlsx or .csv) and write table1.csv/.md; with
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
        written.append(write_robvis(tool, rob, rows, spec, out))
        written.append(out / f"{tool.key}_traffic_light.png")
        traffic_light(tool, rob, written[-1])
    click.echo(
        f"{workbook}: {len(rows)} studies -> " + ", ".join(str(p) for p in written), err=True
    )


@cli.command("export-screening")
@click.option(
    "--works",
    "works_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="results/dedup/works.csv",
)
@click.option(
    "--pending",
    "pending_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Only these works (a list with a work_key, key or cluster_id column); default: all.",
)
@click.option(
    "--stage",
    default=None,
    type=click.Choice(["title_abstract", "full_text"]),
    help="Only the pending list's rows of this stage (its stage column).",
)
@click.option(
    "--records",
    "record_tables",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Record tables (results/records/...csv) to take abstracts and keywords from; repeatable.",
)
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["ris", "csv", "xlsx"]),
    help="ris for Rayyan, Covidence or ASReview LAB; csv or xlsx for a spreadsheet whose first "
    "four columns are a title/abstract decision file.",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@clear_errors
def export_screening(works_path, pending_path, stage, record_tables, fmt, out):
    """Write the works to screen for Rayyan, Covidence, ASReview (RIS) or a spreadsheet."""
    import pandas as pd

    from reviewflow.exchange import export
    from reviewflow.records import COLUMNS, read_csv

    works = export.load_works(works_path)
    if pending_path:
        works = export.select_pending(works, pending_path, stage)
    if record_tables:
        records = pd.concat([read_csv(path, COLUMNS) for path in record_tables], ignore_index=True)
        works = export.add_abstracts(works, records)
    n = export.write(works, fmt, out)
    click.echo(f"{out}: {n} records", err=True)


@cli.command("import-decisions")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--tool",
    required=True,
    type=click.Choice(["rayyan", "covidence", "asreview"]),
    help="The screening tool that wrote FILES.",
)
@click.option(
    "--stage",
    required=True,
    type=click.Choice(["title_abstract", "full_text"]),
    help="The screening stage the decisions are for, i.e. which decision file --out is.",
)
@click.option(
    "--works",
    "works_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="results/dedup/works.csv",
)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="Decision file to write."
)
@click.option(
    "--reviewer",
    "reviewers",
    multiple=True,
    help="Voter of each FILE, in order, where the tool does not name one (ASReview, Covidence).",
)
@click.option(
    "--covidence-list",
    default=None,
    type=click.Choice(["screen", "irrelevant", "select", "excluded", "included"]),
    help="Which Covidence list the files are, when their names do not say it.",
)
@click.option(
    "--consensus",
    default=None,
    type=click.Choice(["all_agree", "any_include", "third_reviewer"]),
    help="Rule for what counts as a decision (default: config's screening_tools, else all_agree).",
)
@click.option("--arbiter", default=None, help="The third reviewer, for --consensus third_reviewer.")
@click.option(
    "--votes-needed",
    default=None,
    type=click.IntRange(min=1),
    help="Votes a work needs before agreement decides it (default: 2 with two or more reviewers).",
)
@click.option("--pseudonymise/--real-names", default=None, help="Write reviewers as 'Reviewer N'.")
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Config file whose screening_tools section gives the defaults.",
)
@click.option(
    "--report",
    "report_dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Directory for matches.csv, votes.csv, conflicts.csv, agreement.csv.",
)
@click.option("--force", is_flag=True, help="Replace an --out file that already holds decisions.")
@clear_errors
def import_decisions(
    files,
    tool,
    stage,
    works_path,
    out,
    reviewers,
    covidence_list,
    consensus,
    arbiter,
    votes_needed,
    pseudonymise,
    config_path,
    report_dir,
    force,
):
    """Turn a screening tool's export(s) into reviewflow's decision file.

    FILES are the tool's export files holding the reviewers' decisions (config/README.md,
    `screening_tools`, says which exports each tool gives)."""
    from reviewflow.exchange import importer
    from reviewflow.exchange.export import load_works

    if reviewers and len(reviewers) != len(files):
        raise ReviewflowError(
            f"{len(reviewers)} --reviewer for {len(files)} files: give one per file"
        )
    settings = {}
    if config_path:
        from reviewflow.config import load

        settings = importer.settings_from(load(config_path, partial=True).get("screening_tools"))
    for key, value in (
        ("consensus", consensus),
        ("arbiter", arbiter),
        ("votes_needed", votes_needed),
        ("pseudonymise", pseudonymise),
    ):
        if value is not None:
            settings[key] = value
    sources = [
        importer.Source(path, tool, reviewers[i] if reviewers else None, covidence_list)
        for i, path in enumerate(files)
    ]
    result = importer.import_decisions(sources, stage, load_works(works_path), settings)
    replaced = importer.decisions_in(out)
    if replaced and not force:
        raise ReviewflowError(
            f"holds {replaced} decisions; the import would replace them with "
            f"{len(result.decisions)}: give another --out, or --force to replace them",
            out,
        )
    importer.write_decisions(result, out)
    if replaced:
        click.echo(f"{out}: replaced {replaced} decisions with {len(result.decisions)}", err=True)
    if report_dir:
        importer.write_report(result, report_dir)
    click.echo(importer.summary(result))


@cli.command()
@click.option(
    "--ledger", required=True, type=click.Path(dir_okay=False), help="results/audit/ledger.csv"
)
@click.option(
    "--counts", required=True, type=click.Path(dir_okay=False), help="results/prisma/counts.json"
)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The review's config.",
)
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Directory to write into."
)
@clear_errors
def prisma(ledger, counts, config_path, out):
    """Draw the PRISMA 2020 flow diagram (SVG, PNG, PDF, interactive HTML), PRISMA.csv
    and the database-overlap table and figure."""
    from reviewflow.prisma.outputs import write_prisma

    for path in write_prisma(ledger, counts, config_path, out):
        click.echo(f"wrote {path}", err=True)


@cli.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The review's config.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    callback=_with_parent,
    help="manifest.json to write.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A config file the config was merged from (repeatable); hashed with the inputs.",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A file the run wrote (repeatable); hashed, so that verify sees it changed or gone.",
)
@clear_errors
def manifest(config_path, out, sources, outputs):
    """Record SHA-256 of the config, exports, decision and other input files, the run's outputs,
    and all versions."""
    from reviewflow.audit.manifest import write_manifest

    write_manifest(config_path, out, sources=sources, outputs=outputs)


@cli.command()
@click.argument("results_dir", default="results", type=click.Path(file_okay=False))
@click.option(
    "--root",
    default=None,
    type=click.Path(file_okay=False),
    help="Where the manifest's paths are relative to (default: RESULTS_DIR's parent).",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Works still awaiting a decision are not a discrepancy: the arithmetic leaves them "
    "out of the boxes they have not reached (the workflow's verify rule, so a review in "
    "progress runs through). Without it, a pending work fails the check.",
)
@clear_errors
def verify(results_dir, root, allow_incomplete):
    """Re-derive every PRISMA number from the ledger and exports; exit 1 naming each discrepancy.

    RESULTS_DIR is the workflow's results directory (default: results)."""
    import json
    from pathlib import Path

    from reviewflow.audit.verify import COUNTS
    from reviewflow.audit.verify import verify as run_verify

    problems = run_verify(results_dir, root, allow_incomplete)
    for problem in problems:
        click.echo(f"FAIL {problem}")
    if problems:
        click.echo(f"reviewflow verify: {len(problems)} discrepancies", err=True)
        sys.exit(1)
    complete = json.loads((Path(results_dir) / COUNTS).read_text(encoding="utf-8")).get(
        "complete", True
    )
    arithmetic = (
        "the PRISMA arithmetic holds"
        if complete
        else (
            "the PRISMA arithmetic holds counting the works still "
            "pending; INCOMPLETE: works await a "
            "decision (results/screening/pending.csv), so the flow does not close yet"
        )
    )
    click.echo(
        f"reviewflow verify: {results_dir} OK: every count re-derived "
        "from the ledger, every export "
        "record present once, the ledger, dedup and PRISMA tables "
        "re-derived from the exports and decisions, "
        f"every file matches the manifest, {arithmetic}"
    )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for clusters.csv, pairs.csv, works.csv, possible_duplicates.csv, related.csv.",
)
@click.option(
    "--overrides",
    default=None,
    type=click.Path(dir_okay=False),
    help="Reviewer's same/different pairs (CSV: id_a,id_b,decision) [default: the config's].",
)
@click.option(
    "--cochrane-versions",
    type=click.Choice(["same", "distinct"]),
    default=None,
    help="Are .pub2/.pub3 versions of a Cochrane review one work? (default: the config's "
    "dedup: cochrane_versions, config/README.md)",
)
@click.option(
    "--preprint-journal",
    type=click.Choice(["same", "distinct"]),
    default=None,
    help="Are a preprint and its journal article one work? (default: the config's "
    "dedup: preprint_journal, config/README.md)",
)
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="The review's config: its rounds say which exports came "
    "first, so a work keeps its key when "
    "a later round adds records (default: every file one round); its dedup: section gives the "
    "overrides file and settings the options above do not.",
)
@clear_errors
def dedup(files, out, overrides, cochrane_versions, preprint_journal, config_path):
    """Find the records that are the same work; write clusters, merged pairs and works to --out.

    FILES are record tables written by `reviewflow ingest` (results/records/...csv)."""
    from reviewflow.config import load
    from reviewflow.dedup.output import run_dedup
    from reviewflow.paths import DEDUP

    given = {"cochrane_versions": cochrane_versions, "preprint_journal": preprint_journal}
    config = load(config_path) if config_path else None
    with without_cycle_collector():
        result = run_dedup(
            files,
            out,
            config,
            overrides,
            {k: v for k, v in given.items() if v is not None},
            on_read=_told,
        )
    written = DEDUP.under(out)
    click.echo(f"{len(result.clusters)} records -> {len(result.works)} works in {out}", err=True)
    click.echo(
        f"{len(result.possible)} possible duplicates to check in "
        f"{written['possible']} (paste a row's"
        " accept or reject line into the overrides file); "
        f"{len(result.related)} errata, retractions and comments linked in {written['related']}",
        err=True,
    )
