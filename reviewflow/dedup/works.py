"""From cluster labels to the three output tables: clusters, pairs, works."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from reviewflow.records import LIST_SEP

# The fields that make a record "complete"; the primary record of a work is the
# one with most of them (then the longest abstract, then the smallest record_id).
COMPLETENESS_FIELDS = ["title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "abstract"]

CLUSTER_COLUMNS = [
    "record_id", "source_file", "source_index", "source_id", "source_db", "cluster_id",
    "is_primary", "duplicate_of", "rule", "score",
]
WORK_COLUMNS = [
    "cluster_id", "key", "primary_record_id", "n_records", "databases", "title", "authors", "year", "journal",
    "volume", "issue", "pages", "doi", "pmid", "dois", "pmids", "source_ids", "record_ids",
]


def completeness(records: pd.DataFrame) -> np.ndarray:
    filled = np.zeros(len(records), dtype=np.int64)
    for field in COMPLETENESS_FIELDS:
        values = records[field]
        if field == "authors":
            filled += values.map(len).gt(0).to_numpy()
        elif field == "year":
            filled += values.notna().to_numpy()
        else:
            filled += values.fillna("").astype(str).ne("").to_numpy()
    return filled


def primaries(records: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    """Position of each cluster's primary record, per record."""
    order = pd.DataFrame(
        {
            "label": labels,
            "complete": -completeness(records),
            "abstract": -records["abstract"].fillna("").astype(str).str.len().to_numpy(),
            "record_id": records["record_id"].to_numpy(),
            "position": np.arange(len(records)),
        }
    ).sort_values(["label", "complete", "abstract", "record_id"])
    first = order.drop_duplicates("label").set_index("label")["position"]
    return first.reindex(labels).to_numpy()


def _sha(text: str) -> str:
    return "rf-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def work_keys(records: pd.DataFrame, keys: pd.DataFrame, primary: np.ndarray) -> pd.Series:
    """Stable key per primary: from its DOI, else PMID, else title|year|first author.

    Two works can share a basis (a book DOI on two chapters); those take the
    primary's record_id into the hash as well, so every key names one work.
    """
    heads = np.unique(primary)
    doi = records["doi"].fillna("").astype(str).to_numpy()[heads]
    pmid = records["pmid"].fillna("").astype(str).to_numpy()[heads]
    year = keys["year"].to_numpy()[heads]
    fallback = [
        f"{t}|{y if y > 0 else ''}|{a}"
        for t, y, a in zip(keys["title_key"].to_numpy()[heads], year, keys["first_author"].to_numpy()[heads])
    ]
    basis = pd.Series(np.where(doi != "", "doi:" + doi, np.where(pmid != "", "pmid:" + pmid, fallback)), index=heads)
    shared = basis.duplicated(keep=False)
    record_ids = records["record_id"].to_numpy()[heads]
    basis[shared] = basis[shared] + "|" + record_ids[shared.to_numpy()]
    return basis.map(_sha)


def _joined_per_cluster(cluster_id: np.ndarray, values: np.ndarray) -> dict[int, str]:
    """cluster_id -> its members' distinct non-empty values, sorted and joined.

    One pass over the records sorted by (cluster, value): far cheaper than a
    pandas groupby with a Python aggregate when there are a million clusters."""
    frame = pd.DataFrame({"c": cluster_id, "v": values})
    frame = frame[frame["v"] != ""].drop_duplicates().sort_values(["c", "v"])
    out: dict[int, list[str]] = {}
    for c, v in zip(frame["c"].tolist(), frame["v"].tolist()):
        out.setdefault(c, []).append(v)
    return {c: LIST_SEP.join(vs) for c, vs in out.items()}


def build_tables(records, keys, labels, pair_a, pair_b, pair_rule, pair_scores):
    """The clusters, pairs and works tables (see CONTRACTS.md section 2)."""
    primary = primaries(records, labels)
    key_of_primary = work_keys(records, keys, primary)
    heads = key_of_primary.sort_values(kind="stable").index.to_numpy()
    cluster_of_primary = pd.Series(np.arange(1, len(heads) + 1), index=heads)
    cluster_id = cluster_of_primary.reindex(primary).to_numpy()
    record_id = records["record_id"].to_numpy()
    is_primary = primary == np.arange(len(records))

    pairs = pd.DataFrame({"a": pair_a, "b": pair_b, "rule": pair_rule}).join(pair_scores)
    pairs["record_a"], pairs["record_b"] = record_id[pairs["a"]], record_id[pairs["b"]]
    # Each duplicate is explained by its pair with the primary, else by its strongest pair.
    ends = pd.concat(
        [
            pairs.assign(member=pairs["a"], other=pairs["b"]),
            pairs.assign(member=pairs["b"], other=pairs["a"]),
        ]
    )
    ends["to_primary"] = ends["other"].to_numpy() == primary[ends["member"].to_numpy()]
    ends = ends.sort_values(["member", "to_primary", "priority", "title"], ascending=[True, False, True, False])
    best = ends.drop_duplicates("member").set_index("member").reindex(np.arange(len(records)))
    rule = np.where(is_primary, "", best["rule"].fillna("").astype(str).to_numpy())
    score = np.where(is_primary, np.nan, best["title"].astype(float).round(1).to_numpy())
    clusters = pd.DataFrame(
        {
            "record_id": record_id,
            "source_file": records["source_file"].to_numpy(),
            "source_index": records["source_index"].to_numpy(),
            "source_id": records["source_id"].to_numpy(),
            "source_db": records["source_db"].to_numpy(),
            "cluster_id": cluster_id,
            "is_primary": is_primary,
            "duplicate_of": np.where(is_primary, "", record_id[primary]),
            "rule": rule,
            "score": score,
        }
    )
    clusters = clusters.sort_values(
        ["cluster_id", "is_primary", "source_file", "source_index"], ascending=[True, False, True, True]
    )

    pair_table = pairs.drop(columns=["a", "b", "priority"])
    pair_table.insert(0, "cluster_id", cluster_id[pairs["a"].to_numpy()])
    pair_table = pair_table[["cluster_id", "record_a", "record_b", "rule", *pair_scores.columns.drop("priority")]]
    pair_table = pair_table.sort_values(["cluster_id", "record_a", "record_b"])

    works = _works(records, primary, cluster_id, key_of_primary)
    return clusters.reset_index(drop=True), pair_table.reset_index(drop=True), works


def _works(records, primary, cluster_id, key_of_primary) -> pd.DataFrame:
    ids = np.sort(np.unique(cluster_id))
    agg = pd.DataFrame({"n_records": np.bincount(cluster_id)[ids]}, index=ids)
    for column, field in [("databases", "source_db"), ("dois", "doi"), ("pmids", "pmid"),
                          ("source_ids", "source_id"), ("record_ids", "record_id")]:
        joined = _joined_per_cluster(cluster_id, records[field].fillna("").astype(str).to_numpy())
        agg[column] = [joined.get(c, "") for c in ids]
    heads = np.unique(primary)
    head = records[["record_id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid"]].iloc[heads]
    works = pd.DataFrame(
        {
            "cluster_id": cluster_id[heads],
            "key": key_of_primary.reindex(heads).to_numpy(),
            "primary_record_id": head["record_id"].to_numpy(),
            "title": head["title"].to_numpy(),
            "authors": head["authors"].map(LIST_SEP.join).to_numpy(),
            "year": pd.array(head["year"], dtype="Int64"),
            "journal": head["journal"].to_numpy(),
            "volume": head["volume"].to_numpy(),
            "issue": head["issue"].to_numpy(),
            "pages": head["pages"].to_numpy(),
            "doi": head["doi"].to_numpy(),
            "pmid": head["pmid"].to_numpy(),
        }
    ).set_index("cluster_id")
    works = works.join(agg).reset_index().sort_values("cluster_id")
    return works[WORK_COLUMNS].reset_index(drop=True)
