"""From cluster labels to the three output tables: clusters, pairs, works.

A work's key (``rf-...``) must outlive re-running: decisions, pending lists and
screening tools name works by it. So it is hashed from the work's anchor -- its
earliest round's first record by content -- never from its primary (most complete)
record, which a later round's fuller copy replaces. Keys works had before a merge or
split (re-derived from the clusterings without the reviewer's overrides) are listed
with the work: ``aliases`` still name it, ``split_from`` names every part.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reviewflow.contracts import CLUSTERS, PAIRS, WORKS
from reviewflow.records import CITATION_FIELDS, LIST_SEP

# The fields that make a record "complete"; the primary record of a work is the
# one with most of them (then the longest abstract, then the smallest record_id).
COMPLETENESS_FIELDS = [*CITATION_FIELDS, "abstract"]

CLUSTER_COLUMNS = CLUSTERS.names
WORK_COLUMNS = WORKS.names


def completeness(records: pd.DataFrame) -> np.ndarray:
    filled = np.zeros(len(records), dtype=np.int64)
    for field in COMPLETENESS_FIELDS:
        values = records[field]
        if field == "authors":
            filled += values.map(len).gt(0).to_numpy()
        elif field == "year":
            filled += values.notna().to_numpy()
        else:
            filled += values.to_numpy(dtype=object, na_value="") != ""
    return filled


def primaries(
    records: pd.DataFrame, labels: np.ndarray, other_method: np.ndarray | None = None
) -> np.ndarray:
    """Position of each cluster's primary record, per record (``records`` in record_id order).

    ``other_method`` flags records found by other methods (citation searching, websites):
    a work that databases or registers also found is theirs, as PRISMA 2020 counts it, so
    its primary is one of their records and the other method's record is its duplicate."""
    labels = np.asarray(labels)
    if other_method is None:
        other_method = np.zeros(len(records), dtype=bool)
    order = np.lexsort(
        (
            np.arange(len(records)),  # = record_id order
            -records["abstract"].fillna("").astype(str).str.len().to_numpy(),
            -completeness(records),
            np.asarray(other_method, dtype=bool),
            labels,
        )
    )
    first = pd.Series(order, index=labels[order])
    return first[~first.index.duplicated()].reindex(labels).to_numpy()


def _sha(text: str) -> str:
    return "rf-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class KeyBasis:
    """Per record, what a work key is made from: ``rank`` (its round, 0 = earliest),
    ``kind`` (0 DOI, 1 PMID, 2 neither), ``basis`` (its DOI, else PMID, else
    title|year|first author) and ``ident`` (basis, database and database ID, title|year|
    author: the record's content, to tell apart works whose anchors share a basis)."""

    rank: np.ndarray
    kind: np.ndarray
    basis: np.ndarray
    ident: np.ndarray
    record_id: np.ndarray

    @classmethod
    def of(cls, records: pd.DataFrame, keys: pd.DataFrame, rank=None) -> KeyBasis:
        def text(column):
            return records[column].fillna("").astype(str).to_numpy(dtype=object)

        doi, pmid = text("doi"), text("pmid")
        fallback = np.array(
            [
                f"{t}|{y if y > 0 else ''}|{a}"
                for t, y, a in zip(
                    keys["title_key"].to_numpy(),
                    keys["year"].to_numpy(),
                    keys["first_author"].to_numpy(),
                )
            ],
            dtype=object,
        )
        kind = np.where(doi != "", 0, np.where(pmid != "", 1, 2))
        basis = np.where(
            kind == 0, "doi:" + doi, np.where(kind == 1, "pmid:" + pmid, fallback)
        ).astype(object)
        ident = basis + "|" + text("source_db") + ":" + text("source_id") + "|" + fallback
        rank = np.zeros(len(records), dtype=np.int64) if rank is None else np.asarray(rank)
        return cls(rank, kind, basis, ident, text("record_id"))

    def anchor_order(self) -> np.ndarray:
        """Record positions from first to last anchor candidate: earliest round, then DOI
        before PMID before title, then by content; record_id (the positions' order) only
        between identical records. Nothing here changes when later rounds add records or
        the input is reordered."""
        content = pd.factorize(pd.Series(self.ident, dtype=object), sort=True)[0]
        return np.lexsort((np.arange(len(content)), content, self.kind, self.rank))


def work_keys(labels, basis: KeyBasis, reserved=frozenset()) -> pd.Series:
    """Stable key per cluster label, hashed from the work's anchor record's basis.

    A work's key depends only on its earliest round's records, so a fuller copy in a
    later round or another primary leaves it alone. Works whose anchors share a basis
    (a book DOI on two chapters), or whose plain key is ``reserved`` (the key of a work
    the overrides split), hash the anchor's content instead (and its record_id if two
    anchors are identical); the first of several sharing a basis keeps the plain key, so
    a later round's work never takes an earlier work's key away.
    """
    order = basis.anchor_order()
    ordered = pd.Series(order, index=np.asarray(labels)[order])
    anchor = ordered[~ordered.index.duplicated()]  # label -> anchor position, in anchor order
    plain = pd.Series(_hashes(basis.basis[anchor.to_numpy()]), index=anchor.index)
    suffixed = (plain.duplicated() | plain.isin(reserved)).to_numpy()
    ident = pd.Series(basis.ident[anchor.to_numpy()[suffixed]])
    twins = ident.duplicated(keep=False).to_numpy()
    ident[twins] = ident[twins] + "|" + basis.record_id[anchor.to_numpy()[suffixed][twins]]
    keys = plain.copy()
    keys[suffixed] = _hashes(ident.to_numpy(dtype=object))
    return keys


def _hashes(values: np.ndarray) -> np.ndarray:
    """_sha of each value, each distinct value hashed once."""
    codes, distinct = pd.factorize(pd.Series(values, dtype=object))
    return np.array([_sha(v) for v in distinct], dtype=object)[codes]


def _former_keys(labels, former, basis: KeyBasis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(label, key) of the keys works had under ``former`` clusterings (the same records
    without the reviewer's "same" or without the "different" overrides): those that lie
    in one work now (aliases of it), and those now split over several works (ambiguous)."""
    kept, split = [pd.DataFrame(columns=["label", "key"])], [pd.DataFrame(columns=["label", "key"])]
    for earlier in former:
        keys = work_keys(earlier, basis)
        spans = pd.DataFrame(
            {"former": np.asarray(earlier), "label": np.asarray(labels)}
        ).drop_duplicates()
        spans["key"] = spans["former"].map(keys)
        several = spans["former"].duplicated(keep=False)
        kept.append(spans.loc[~several, ["label", "key"]])
        split.append(spans.loc[several, ["label", "key"]])
    return pd.concat(kept, ignore_index=True), pd.concat(split, ignore_index=True).drop_duplicates()


def _joined_per_cluster(cluster_id: np.ndarray, values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Per cluster of ``ids`` (ascending), its members' distinct non-empty values, sorted and
    joined ("" for none).

    Each distinct value is sorted once (factorize) and the (cluster, value) pairs are
    integers for numpy to sort: far cheaper than sorting strings per record, or a
    pandas groupby with a Python aggregate, when there are a million clusters."""
    out = np.full(len(ids), "", dtype=object)
    keep = values != ""
    codes, distinct = pd.factorize(pd.Series(values[keep], dtype=object), sort=True)
    if not len(distinct):
        return out
    pairs = np.unique(np.asarray(cluster_id)[keep].astype(np.int64) * len(distinct) + codes)
    cluster = pairs // len(distinct)
    text = np.asarray(distinct, dtype=object)[pairs % len(distinct)].tolist()
    # The pairs are in cluster order: each cluster's values are one run of them.
    starts = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])
    ends = [*starts[1:].tolist(), len(text)]
    out[np.searchsorted(ids, cluster[starts])] = [
        LIST_SEP.join(text[start:end]) for start, end in zip(starts.tolist(), ends)
    ]
    return out


def build_tables(
    records,
    keys,
    labels,
    pair_a,
    pair_b,
    pair_rule,
    pair_scores,
    rank=None,
    former=(),
    other_method=None,
):
    """The clusters, pairs and works tables, from ``records`` in record_id order (positions
    order them; ``deduplicate`` sorts them so).

    ``rank`` is each record's round (0 = earliest; default all 0) and ``former`` the
    clusterings without the reviewer's overrides, for the keys works had before;
    ``other_method`` flags the records other methods found (``primaries``).
    """
    record_id = records["record_id"].to_numpy()
    basis = KeyBasis.of(records, keys, rank)
    kept, split = _former_keys(labels, former, basis)
    key_of_label = work_keys(labels, basis, reserved=set(split["key"]))
    numbered = key_of_label.sort_values(kind="stable").index
    cluster_id = (
        pd.Series(np.arange(1, len(numbered) + 1), index=numbered).reindex(labels).to_numpy()
    )
    primary = primaries(records, labels, other_method)
    is_primary = primary == np.arange(len(records))

    # Every key a member could have had as its own work's key (its own basis, or a former
    # work's key) keeps naming the work, unless it is another work's key or ambiguous.
    # Only a work whose members differ in basis (most share one DOI) has members' keys of its own.
    mixed = (
        pd.Series(pd.factorize(pd.Series(basis.basis, dtype=object))[0])
        .groupby(np.asarray(labels))
        .transform("nunique")
        .to_numpy()
        > 1
    )
    members = pd.DataFrame({"label": np.asarray(labels)[mixed], "key": _hashes(basis.basis[mixed])})
    aliases = pd.concat([members, kept])
    aliases = aliases[
        ~aliases["key"].isin(set(key_of_label)) & ~aliases["key"].isin(set(split["key"]))
    ]
    named = {"aliases": aliases, "split_from": split}
    ids = np.arange(1, len(numbered) + 1)  # the cluster ids: the works numbered from 1
    joined = {
        column: _joined_per_cluster(
            cluster_id[frame["label"].to_numpy(dtype=np.int64)],
            frame["key"].to_numpy(dtype=object),
            ids,
        )
        for column, frame in named.items()
    }

    pairs = pd.DataFrame({"a": pair_a, "b": pair_b, "rule": pair_rule}).join(pair_scores)
    pairs["record_a"], pairs["record_b"] = record_id[pairs["a"]], record_id[pairs["b"]]
    # Each duplicate is explained by its pair with the primary, else by its strongest pair.
    member = np.concatenate([pair_a, pair_b]).astype(np.int64)
    other = np.concatenate([pair_b, pair_a]).astype(np.int64)
    title = np.tile(pairs["title"].to_numpy(dtype=float), 2)
    order = np.lexsort(
        (
            np.where(np.isnan(title), np.inf, -title),  # the closest title first, none last
            np.tile(pairs["priority"].to_numpy(), 2),
            other != primary[member],  # the pair with the primary first
            member,
        )
    )
    best = order[np.r_[True, member[order][1:] != member[order][:-1]]] if len(order) else order
    rule = np.full(len(records), "", dtype=object)
    rule[member[best]] = np.tile(np.asarray(pair_rule, dtype=object), 2)[best]
    rule[is_primary] = ""
    score = np.full(len(records), np.nan)
    score[member[best]] = np.round(title[best], 1)
    score[is_primary] = np.nan
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
    files = pd.factorize(records["source_file"], sort=True)[0]
    clusters = clusters.iloc[
        np.lexsort((records["source_index"].to_numpy(), files, ~is_primary, cluster_id))
    ]

    pair_table = pairs.drop(columns=["a", "b", "priority"])
    pair_table.insert(0, "cluster_id", cluster_id[pairs["a"].to_numpy()])
    pair_table = pair_table[PAIRS.names]
    pair_table = pair_table.iloc[
        np.lexsort(
            (pairs["b"].to_numpy(), pairs["a"].to_numpy(), pair_table["cluster_id"].to_numpy())
        )
    ]

    works = _works(
        records, primary, cluster_id, ids, key_of_label.reindex(labels).to_numpy(), joined
    )
    return clusters.reset_index(drop=True), pair_table.reset_index(drop=True), works


def _works(records, primary, cluster_id, ids, key, joined) -> pd.DataFrame:
    # Each work's primary record, in cluster_id order.
    heads = np.unique(primary)
    heads = heads[np.argsort(cluster_id[heads], kind="stable")]
    head = records[["record_id", *CITATION_FIELDS]].iloc[heads]
    columns = {
        "cluster_id": ids,
        "key": key[heads],
        "primary_record_id": head["record_id"].to_numpy(),
        "n_records": np.bincount(cluster_id)[ids],
        "title": head["title"].to_numpy(),
        "authors": head["authors"].map(LIST_SEP.join).to_numpy(),
        "year": pd.array(head["year"], dtype="Int64"),
        **{
            field: head[field].to_numpy()
            for field in ("journal", "volume", "issue", "pages", "doi", "pmid")
        },
        **joined,
    }
    for column, field in [
        ("databases", "source_db"),
        ("dois", "doi"),
        ("pmids", "pmid"),
        ("source_ids", "source_id"),
        ("record_ids", "record_id"),
    ]:
        columns[column] = _joined_per_cluster(
            cluster_id, records[field].fillna("").astype(str).to_numpy(), ids
        )
    return pd.DataFrame({name: columns[name] for name in WORK_COLUMNS})
