"""Search rounds: updating a review with a later round of exports.

Everything is recomputed from all rounds' exports and decisions on every run;
what a round "knew" is derived from the files, never stored.

- A work's *origin* round is the earliest round with a member record. Its ledger
  primary is a record of that round (the dedup primary if it is one, else the
  round's first record), so a later round's copies are duplicates "previous_round"
  and an earlier work is never screened again.
- Each round's reviewers write their decisions to the round's own decision files
  (``screening:`` in the round, else the top-level one). A later round's decision
  about a work replaces an earlier round's (a re-assessment, e.g. a retraction);
  what earlier rounds decided is what their files say.
- A later round's record that joins works the earlier rounds held apart would
  re-decide them silently; it is a conflict the reviewer resolves.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.config import exports, round_names
from reviewflow.dedup.cluster import components
from reviewflow.errors import ReviewflowError


def round_of_files(rounds: list[dict]) -> dict[str, str]:
    """export path -> the name of the round whose searches produced it.

    Loading the config has checked that each export belongs to one search and each
    round has its own name (config.setting_problems)."""
    return {item["path"]: item["round"] for item in exports({"rounds": rounds})}


def assign_origin(base: pd.DataFrame, rounds: list[dict]) -> pd.DataFrame:
    """Add ``origin`` (the work's earliest round) and ``previous`` (origin before the
    latest round); make each work's primary a record of its origin round.

    ``base`` must be ordered by round (config order), source_file, source_index.
    """
    names = round_names(rounds)
    order = base["round"].map({name: i for i, name in enumerate(names)})
    origin = order.groupby(base["cluster_id"]).transform("min")
    base = base.copy()
    base["origin"] = origin.map(dict(enumerate(names)))
    base["previous"] = origin < len(names) - 1
    in_origin = order == origin
    keeps = (base["is_primary"] & in_origin).groupby(base["cluster_id"]).transform("any")
    first = ~base["cluster_id"].duplicated()  # ordered by round: a record of the origin round
    base["is_primary"] = (base["is_primary"] & in_origin) | (first & ~keeps)
    primary = base.loc[base["is_primary"]].set_index("cluster_id")["record_id"]
    base["duplicate_of"] = base["cluster_id"].map(primary).where(~base["is_primary"], "")
    return base


def bridged_works(base: pd.DataFrame, pairs: pd.DataFrame, latest: str) -> list[dict]:
    """Works in which the latest round's records join records earlier rounds held apart.

    The earlier rounds' works are the connected components of the matched pairs
    among their own records (what the same engine merged without the new
    records); a final work spanning several of them was changed by the update.
    """
    earlier = base.loc[base["round"] != latest, ["record_id", "cluster_id"]]
    known = set(earlier["record_id"])
    inner = pairs.loc[pairs["record_a"].isin(known) & pairs["record_b"].isin(known)]
    ids = pd.Index(earlier["record_id"])
    component = components(
        len(ids), ids.get_indexer(inner["record_a"]), ids.get_indexer(inner["record_b"])
    )
    earlier = earlier.assign(component=component)
    parts = earlier.groupby("cluster_id")["component"].nunique()
    found = []
    for cluster in sorted(parts[parts > 1].index):  # few: vectorised up to here
        rows = earlier.loc[earlier["cluster_id"] == cluster]
        works = rows.groupby("component")["record_id"].apply(sorted)
        members = base.loc[(base["cluster_id"] == cluster) & (base["round"] == latest), "record_id"]
        found.append(
            {
                "cluster_id": cluster,
                "earlier_works": sorted(works.tolist()),
                "joined_by": sorted(members),
            }
        )
    return found


def check_bridges(base: pd.DataFrame, pairs: pd.DataFrame | None, rounds: list[dict]) -> None:
    """Stop with every conflict listed if the latest round joins earlier works."""
    names = round_names(rounds)
    if len(names) < 2:
        return
    if pairs is None:
        raise ReviewflowError(
            "an update round needs the dedup pairs (results/dedup/pairs.csv) to check that "
            "it changes no earlier work",
            "reviewflow screen --pairs",
        )
    found = bridged_works(base, pairs, names[-1])
    if found:
        keys = dict(zip(base["cluster_id"], base["work_key"]))
        lines = [
            f"work {keys.get(c['cluster_id'], c['cluster_id'])}: records of round {names[-1]} "
            f"({', '.join(c['joined_by'])}) join works that earlier rounds kept apart: "
            + " | ".join(", ".join(part) for part in c["earlier_works"])
            for c in found
        ]
        raise ReviewflowError(
            f"{len(found)} conflicts: the update would merge earlier works "
            "and re-decide them. Resolve each with a "
            "dedup override (config/dedup_overrides.csv): 'different' "
            "between the new record and the work it is "
            "not, or 'same' between the earlier records if they are one work:\n  "
            + "\n  ".join(lines),
            "dedup clusters",
        )


def decision_sets(config: dict) -> list[dict]:
    """{title_abstract, full_text} per round, oldest first.

    A round without its own ``screening:`` shares the top-level files.
    """
    return [r.get("screening") or config["screening"] for r in config["rounds"]]
