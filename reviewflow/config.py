"""What the config's search rounds name, for the CLI and verify (outside Snakemake)."""

from __future__ import annotations


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
