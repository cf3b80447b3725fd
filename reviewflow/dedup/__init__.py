"""Find the records that are the same work, across databases and rounds.

``deduplicate(records)`` runs: normalise (match keys per record) -> blocking
(candidate pairs sharing a key) -> compare (field scores, vetoes, decision rules)
-> overrides (a reviewer's same/different) -> cluster (no chaining across a
veto) -> tables (clusters, pairs, works). Records are processed in record_id
order, so the result does not depend on the order of the input rows.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reviewflow.config import DedupSettings
from reviewflow.contracts import PAIRS
from reviewflow.dedup.blocking import candidate_pairs
from reviewflow.dedup.cluster import cluster, conflicts
from reviewflow.dedup.compare import RULES, columns, decide, score_pairs, veto_names
from reviewflow.dedup.normalise import normalise
from reviewflow.dedup.overrides import read_overrides, resolve
from reviewflow.dedup.possible import POSSIBLE_COLUMNS, possible_duplicates
from reviewflow.dedup.related import RELATED_COLUMNS, related_table, relations
from reviewflow.dedup.works import CLUSTER_COLUMNS, WORK_COLUMNS, build_tables
from reviewflow.errors import ReviewflowError

__all__ = [
    "DedupResult",
    "DedupSettings",
    "compared_pairs",
    "deduplicate",
    "matched_pairs",
    "pair_relations",
    "read_overrides",
]

log = logging.getLogger(__name__)


@dataclass
class DedupResult:
    clusters: pd.DataFrame
    pairs: pd.DataFrame
    works: pd.DataFrame
    possible: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POSSIBLE_COLUMNS))
    related: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RELATED_COLUMNS))


def _pair_scores(s: dict, rule: np.ndarray, kept: np.ndarray) -> pd.DataFrame:
    """What a reviewer needs to judge a merged pair, for the pairs ``kept``."""

    def verdict(name):
        return np.where(
            s[f"{name}_same"][kept], "same", np.where(s[f"{name}_both"][kept], "differ", "")
        )

    return pd.DataFrame(
        {
            "priority": rule[kept],
            **{
                name: np.round(s[name][kept], 1)
                for name in ("title", "authors", "journal", "abstract")
            },
            "year_gap": np.where(s["year_known"][kept], s["year_gap"][kept].astype(str), ""),
            **{name: verdict(name) for name in ("volume", "pages", "doi", "pmid")},
        }
    )


def _ranks(records: pd.DataFrame, round_of: dict[str, int] | None) -> np.ndarray | None:
    """Each record's round (0 = earliest), from its source_file."""
    if round_of is None:
        return None
    rank = records["source_file"].map(round_of)
    if rank.isna().any():
        unknown = sorted(set(records.loc[rank.isna(), "source_file"]))
        raise ReviewflowError(
            f"records of {', '.join(unknown)}: the file is in no round of the config", "dedup"
        )
    return rank.to_numpy(dtype=np.int64)


def deduplicate(
    records: pd.DataFrame,
    settings: DedupSettings | None = None,
    overrides: pd.DataFrame | None = None,
    round_of: dict[str, int] | None = None,
    other_method_files=(),
) -> DedupResult:
    """Cluster the records (reviewflow.records.COLUMNS) into works.

    ``settings`` default to the config schema's; ``round_of`` maps each export
    (source_file) to its round, 0 for the earliest: a work's key comes from its
    earliest round's records (all rounds 0 without it). ``other_method_files`` are the
    exports of other methods (citation searching, websites): a work a database or register
    also found has one of their records as its primary. Each step's progress is
    logged (INFO), with the seconds since the start."""
    settings = settings or DedupSettings.of()
    started = time.monotonic()

    def tell(message):
        log.info("dedup [%6.1fs] %s", time.monotonic() - started, message)

    duplicated = records["record_id"].duplicated()
    if duplicated.any():
        raise ReviewflowError(
            f"record_id {records['record_id'][duplicated].iloc[0]!r} occurs more than once"
        )
    records = records.sort_values("record_id", kind="stable").reset_index(drop=True)
    n = len(records)
    if n == 0:
        return DedupResult(
            clusters=pd.DataFrame(columns=CLUSTER_COLUMNS),
            pairs=pd.DataFrame(columns=PAIRS.names),
            works=pd.DataFrame(columns=WORK_COLUMNS),
        )
    keys = normalise(records, settings)
    tell(f"{n} records normalised")

    a, b = candidate_pairs(keys)
    over_a, over_b, over_same = resolve(records, overrides)
    if len(over_a):
        joined = np.unique(np.concatenate([a * n + b, over_a * n + over_b]))
        a, b = joined // n, joined % n
    tell(f"{len(a)} candidate pairs")

    col = columns(keys)
    preprint_same = settings.preprint_journal == "same"
    s = score_pairs(col, a, b, preprint_same)
    verdict = decide(s)  # the rules' own verdict, before the reviewer's overrides
    position = np.searchsorted(a * n + b, over_a * n + over_b)

    def clustering(same: np.ndarray, different: np.ndarray):
        """Clusters with the override pairs flagged in ``same``/``different`` applied."""
        rule = verdict.copy()
        rule[position[different]] = -1
        rule[position[same]] = RULES.index("override")
        matched = np.flatnonzero(rule >= 0)
        matched = matched[
            np.lexsort((b[matched], a[matched], -np.nan_to_num(s["title"][matched]), rule[matched]))
        ]
        cannot = conflicts(col, n, a[matched], b[matched], preprint_same, (a * n + b, s["vetoed"]))
        for x, y in zip(over_a[different].tolist(), over_b[different].tolist()):
            cannot.setdefault(x, set()).add(y)
            cannot.setdefault(y, set()).add(x)
        forced = rule[matched] == RULES.index("override")
        labels, accepted = cluster(n, a[matched], b[matched], forced, cannot)
        return rule, labels, matched[accepted]

    rule, labels, kept = clustering(over_same, ~over_same)
    tell(f"{len(a)} pairs compared, {int((rule >= 0).sum())} matched")
    tell(f"{len(np.unique(labels))} clusters")
    # The works as they were before the reviewer's "same" and before the "different"
    # overrides, so the keys those works had still name (or are ambiguous between) them.
    none = np.zeros(len(over_a), dtype=bool)
    former = [clustering(none, ~over_same)[1]] if over_same.any() else []
    former += [clustering(over_same, none)[1]] if (~over_same).any() else []

    scores = _pair_scores(s, rule, kept)
    clusters, pairs, works = build_tables(
        records,
        keys,
        labels,
        a[kept],
        b[kept],
        np.array(RULES, dtype=object)[rule[kept]],
        scores,
        _ranks(records, round_of),
        former,
        records["source_file"].isin(list(other_method_files)).to_numpy(),
    )
    cluster_of = (
        clusters.set_index("record_id")["cluster_id"].reindex(records["record_id"]).to_numpy()
    )
    work_key = works.set_index("cluster_id")["key"].reindex(cluster_of).to_numpy()
    relation = relations(col, a, b, s)
    possible = possible_duplicates(records, a, b, s, relation[0], cluster_of, work_key)
    related = related_table(records, col, a, b, s, relation, cluster_of, work_key)
    tell(f"{len(possible)} possible duplicates to check, {len(related)} related records")
    return DedupResult(
        clusters=clusters, pairs=pairs, works=works, possible=possible, related=related
    )


def compared_pairs(records: pd.DataFrame, settings: DedupSettings | None = None) -> pd.DataFrame:
    """Every candidate pair the rules compared: record_a, record_b, rule ("" = not merged),
    veto (the named vetoes that kept it apart, "+"-joined; "" = none) and the field scores.

    The pair-level verdict of ``deduplicate`` (same keys, blocking, scores, vetoes
    and rules) before overrides and clustering.
    """
    settings = settings or DedupSettings.of()
    records = records.sort_values("record_id", kind="stable").reset_index(drop=True)
    keys = normalise(records, settings)
    a, b = candidate_pairs(keys)
    s = score_pairs(columns(keys), a, b, settings.preprint_journal == "same")
    rule = decide(s)
    ids = records["record_id"].to_numpy()
    everything = np.ones(len(a), dtype=bool)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "record_a": ids[a],
                    "record_b": ids[b],
                    "rule": np.where(rule >= 0, np.array(RULES, dtype=object)[rule], ""),
                    "veto": veto_names(s["veto_bits"]),
                }
            ),
            _pair_scores(s, rule, everything).drop(columns="priority"),
        ],
        axis=1,
    )


def pair_relations(
    records: pd.DataFrame, id_a, id_b, settings: DedupSettings | None = None
) -> np.ndarray:
    """The relation (related.RELATIONS, "" = none) the metadata of each record pair
    (record_ids id_a[k], id_b[k]) shows: the rule the engine links notices with."""
    settings = settings or DedupSettings.of()
    records = records.sort_values("record_id", kind="stable").reset_index(drop=True)
    position = pd.Series(np.arange(len(records)), index=records["record_id"])
    a, b = position.reindex(list(id_a)).to_numpy(), position.reindex(list(id_b)).to_numpy()
    col = columns(normalise(records, settings))
    return relations(col, a, b, score_pairs(col, a, b, settings.preprint_journal == "same"))[0]


def matched_pairs(records: pd.DataFrame, settings: DedupSettings | None = None) -> pd.DataFrame:
    """Every pair of records the decision rules call one work: record_a, record_b, rule.

    For callers that must see every candidate a record matches, not just the
    cluster it ends up in: matching a screening tool's record back to a work must
    notice when it matches two.
    """
    pairs = compared_pairs(records, settings)
    return pairs.loc[pairs["rule"] != "", ["record_a", "record_b", "rule"]].reset_index(drop=True)
