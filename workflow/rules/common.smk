# Helpers shared by the rules: the effective config, what its search rounds name and
# every output's path, named once in reviewflow/paths.py for the rules and the package.
from pathlib import Path

import yaml

from reviewflow import paths
from reviewflow.config import source

RESULTS = paths.RESULTS
EFFECTIVE_CONFIG = f"{RESULTS}/{paths.CONFIG}"
DEDUP = paths.DEDUP.results()
SCREENING = paths.SCREENING.results()
COUNTS = paths.COUNTS.results()
PRISMA = paths.PRISMA.results()
EXTRACTION = paths.EXTRACTION.results()
TABLE1 = paths.TABLE1.results()
AUDIT = paths.AUDIT.results()


def out_dir(outputs, key):
    """The params function giving a stage's command its --out directory, from where the
    rule's output ``key`` is (so an executor without a shared file system can move it).
    """
    return lambda wildcards, output: outputs.out_dir(output[key], key)


# What each job needs, so any executor (profiles/slurm/) can schedule it. A job's peak memory
# and time grow with the review's size: its exports' (the records tables are about as large:
# 1.0 MB from the embedded review's 1.4 MB). Measured with /usr/bin/time -v (README.md,
# "Running on a cluster"): on the embedded review every job peaks under 160 MB within 10 s;
# on the 1M-record set of benchmarks/dedup_scale.py (1,050 MB of records) dedup peaks at
# 4.6 GB after 250 s of CPU time, screening at 6.5 GB after 130 s. Runtimes allow a few
# times the CPU time measured, for slower or shared nodes.
def exports_mb():
    """The size of the exports the config names, in MB (known before any job runs)."""
    return (
        sum(
            Path(path).stat().st_size for path in export_files() if Path(path).is_file()
        )
        / 1e6
    )


def sized(base, per_mb, size_mb=None):
    """``base`` plus ``per_mb`` for each MB of ``size_mb`` (default: the exports'), as a
    whole number: mem_mb in MB, runtime in minutes."""
    return int(base + per_mb * (exports_mb() if size_mb is None else size_mb))


def repeated(option, values):
    """``option`` before each of ``values``, for a CLI option given once per value; the
    rules quote the list with :q."""
    return [arg for value in values for arg in (option, value)]


def screening_decision_files():
    """Every round's decision files (a round without its own uses the top-level ones)."""
    sets = [config["screening"]] + [
        r["screening"] for r in config["rounds"] if "screening" in r
    ]
    return sorted(
        {
            path
            for files in sets
            for path in (files["title_abstract"], files["full_text"])
        }
    )


def searches():
    """Every search of every round, in config order, with its round name."""
    return [
        dict(search, round=round_["name"])
        for round_ in config["rounds"]
        for search in round_["searches"]
    ]


def export_files():
    """Every export file named in the config, in config order."""
    return [path for search in searches() for path in search["exports"]]


def source_of(path):
    """("database" or "register", its name): what a given export file was searched in."""
    for search in searches():
        if path in search["exports"]:
            return source(search)
    raise ValueError(f"{path} is not named by any search in the config")


def records_table(path):
    """Where the ingest rule writes the normalised table of one export."""
    return f"{RESULTS}/{paths.records_table(path)}"


def screening_tool_imports():
    """The screening-tool exports whose decisions the screening stage reads."""
    return sorted(
        {
            item["file"]
            for item in (config.get("screening_tools") or {}).get("imports", [])
        }
    )


def screening_export_pending():
    """The pending list the to_screen export selects from: [] when the config asks for
    every work (screening_tools: export_works: all), else results/screening/pending.csv.
    """
    section = config.get("screening_tools") or {}
    return (
        []
        if section.get("export_works", "pending") == "all"
        else [SCREENING["pending"]]
    )


def screening_export_options(pending):
    """export-screening's --pending/--stage options for the to_screen export."""
    if not pending:
        return []
    stage = (config.get("screening_tools") or {}).get("export_stage")
    return ["--pending", pending[0]] + (["--stage", stage] if stage else [])


def screening_exports():
    """The works-to-screen files the config asks for (screening_tools: export)."""
    formats = (config.get("screening_tools") or {}).get("export", [])
    return [f"{RESULTS}/screening/to_screen.{fmt}" for fmt in formats]


def extraction_outputs():
    """The extraction workbooks, and Table 1 from the completed example when one is set."""
    if "extraction" not in config:
        return []
    return list(EXTRACTION.values()) + (
        list(TABLE1.values()) if config["extraction"].get("example") else []
    )


def all_outputs():
    """What `snakemake` makes by default (the ledger and pending lists on the way)."""
    return (
        [records_table(path) for path in export_files()]
        + list(DEDUP.values())
        + [COUNTS["counts"]]
        + extraction_outputs()
        + screening_exports()
        + list(PRISMA.values())
        + list(AUDIT.values())
    )
