# Helpers shared by the rules: what the config's search rounds name.
from pathlib import Path


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


def database_of(path):
    """The database a given export file was searched in."""
    for search in searches():
        if path in search["exports"]:
            return search["database"]
    raise ValueError(f"{path} is not named by any search in the config")


def records_table(path):
    """Where the ingest rule writes the normalised table of one export."""
    return f"results/records/{path}.csv"


DEDUP_OUTPUTS = ["results/dedup/clusters.csv", "results/dedup/pairs.csv", "results/dedup/works.csv"]


def all_outputs():
    return [records_table(path) for path in export_files()] + DEDUP_OUTPUTS
