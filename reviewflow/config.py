"""What the config's search rounds name, for the CLI and verify (outside Snakemake)."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from reviewflow.errors import ReviewflowError

# The schema Snakemake validates the config with at the start of every run; the CLI
# checks a config it is handed against the same file. It lives in the repository, so
# a package installed without the repository (not `pip install -e .`) skips the check.
SCHEMA = Path(__file__).resolve().parent.parent / "workflow" / "schemas" / "config.schema.yaml"


def validate(config, path) -> None:
    """Every way ``config`` breaks the schema, as one error naming the file and each setting."""
    if not SCHEMA.is_file():
        return
    from jsonschema import Draft202012Validator  # a dependency of snakemake

    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise ReviewflowError(f"config does not match {SCHEMA.name} (config/README.md explains every setting):\n  "
                              + "\n  ".join(_describe(e) for e in errors), str(path))
    check_exports(config, path)


def check_exports(config: dict, path) -> None:
    """Each export file is named by one search only: its records are counted once, under
    one database and round (a later search of the same database is a new file)."""
    named: dict[str, list[str]] = {}
    for item in exports(config):
        named.setdefault(item["path"], []).append(f"{item['round']}: {item['database']}")
    repeated = {export: where for export, where in named.items() if len(where) > 1}
    if repeated:
        raise ReviewflowError("an export is named by more than one search (each export file belongs to one "
                              "search; a later search is a new file):\n  "
                              + "\n  ".join(f"{export} ({'; '.join(where)})" for export, where in repeated.items()),
                              str(path))


def _describe(error) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    if isinstance(error.instance, datetime.date):
        # YAML reads an unquoted 2024-04-15 as a date, not the text the schema asks for.
        message = f"write the date in quotes: \"{error.instance.isoformat()}\""
    elif error.validator == "pattern" and "description" in error.schema:
        message = f"{error.instance!r} is not {error.schema['description']}"
    else:
        message = error.message
    return f"{where or 'top level'}: {message}"



def round_names(config: dict) -> list[str]:
    return [round_["name"] for round_ in config["rounds"]]


def databases(config: dict) -> list[str]:
    """The databases searched in the last round, in config order."""
    return [search["database"] for search in config["rounds"][-1]["searches"]]


def in_config_order(databases: list[str], found) -> list[str]:
    """The config's databases in its order, then any other database ``found`` names, sorted."""
    return list(databases) + sorted(set(found) - set(databases))


def exports(config: dict) -> list[dict]:
    """Every export file with the database and round it came from, in config order."""
    return [
        {"path": path, "database": search["database"], "round": round_["name"]}
        for round_ in config["rounds"]
        for search in round_["searches"]
        for path in search["exports"]
    ]


def round_ranks(config: dict) -> dict[str, int]:
    """export path -> its round's position in the config (0 = the earliest round)."""
    ranks = {name: i for i, name in enumerate(round_names(config))}
    return {entry["path"]: ranks[entry["round"]] for entry in exports(config)}
