# Helpers shared by the rules: the effective config and what its search rounds name.
from pathlib import Path

import yaml

from reviewflow.config import source


EFFECTIVE_CONFIG = "results/config.yaml"


def write_effective_config():
    """Write the config this run uses, for the rules to pass to the reviewflow CLI.

    Snakemake deep-merges every --configfile (and --config) over config/config.yaml,
    so no single file on disk is the run's config. Rewritten only when it changes,
    so its date tells Snakemake when the rules that read it must rerun.
    """
    text = yaml.safe_dump(config, sort_keys=True, allow_unicode=True)
    path = Path(EFFECTIVE_CONFIG)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


write_effective_config()


def screening_decision_files():
    """Every round's decision files (a round without its own uses the top-level ones)."""
    sets = [config["screening"]] + [r["screening"] for r in config["rounds"] if "screening" in r]
    return sorted({path for files in sets for path in (files["title_abstract"], files["full_text"])})


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
    return f"results/records/{path}.csv"


def screening_tool_imports():
    """The screening-tool exports whose decisions the screening stage reads."""
    return sorted({item["file"] for item in (config.get("screening_tools") or {}).get("imports", [])})


def screening_export_pending():
    """The pending list the to_screen export selects from: [] when the config asks for
    every work (screening_tools: export_works: all), else results/screening/pending.csv."""
    section = config.get("screening_tools") or {}
    return [] if section.get("export_works", "pending") == "all" else ["results/screening/pending.csv"]


def screening_export_options(pending):
    """export-screening's --pending/--stage options for the to_screen export."""
    if not pending:
        return ""
    stage = (config.get("screening_tools") or {}).get("export_stage")
    return f"--pending '{pending[0]}'" + (f" --stage {stage}" if stage else "")


def screening_exports():
    """The works-to-screen files the config asks for (screening_tools: export)."""
    formats = (config.get("screening_tools") or {}).get("export", [])
    return [f"results/screening/to_screen.{fmt}" for fmt in formats]


def extraction_outputs():
    """The extraction workbooks, and Table 1 from the completed example when one is set."""
    if "extraction" not in config:
        return []
    outputs = [f"results/extraction/{name}.xlsx" for name in ("extraction", "rob2", "robins_i")]
    if config["extraction"].get("example"):
        outputs += ["results/extraction/example/table1.csv", "results/extraction/example/table1.md"]
    return outputs


def prisma_outputs():
    """The flow diagram, PRISMA.csv, database overlap, manifest and verification."""
    return [f"results/prisma/flow_diagram.{ext}" for ext in ("svg", "png", "pdf", "html")] + [
        "results/prisma/PRISMA.csv",
        "results/prisma/database_overlap.csv",
        "results/prisma/database_overlap.svg",
        "results/prisma/database_overlap.png",
        "results/audit/manifest.json",
        "results/audit/verify.txt",
    ]


DEDUP_OUTPUTS = [
    "results/dedup/clusters.csv", "results/dedup/pairs.csv", "results/dedup/works.csv",
    "results/dedup/possible_duplicates.csv", "results/dedup/related.csv",
]


def all_outputs():
    return (
        [records_table(path) for path in export_files()]
        + DEDUP_OUTPUTS
        + ["results/prisma/counts.json"]
        + extraction_outputs()
        + screening_exports()
        + prisma_outputs()
    )
