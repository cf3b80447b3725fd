"""The kept-apart pairs closest to merging, for a reviewer to accept or reject.

Four kinds of pair in different works are listed: equal DOIs kept apart,
near-equal titles kept apart by a single veto, close titles that no rule
merged for want of a locator (volume, pages, identifier), and a record with no
title whose citation (journal, volume, pages, authors) is another's. Pairs the review
policy keeps apart on purpose (a notice and its work, an abstract and its paper,
a preprint) are not listed; notices go to related.csv. Each work is in at most
one line (its closest record pair), most likely first.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from reviewflow.contracts import POSSIBLE_DUPLICATES, POSSIBLE_FIELDS
from reviewflow.dedup.compare import has_veto, veto_count, veto_names
from reviewflow.dedup.normalise import database_exports

# Vetoes that are the review's policy, not doubtful evidence; and the publication year,
# which databases agree on once online-first records are allowed for (a title and
# authors repeated in another year are a recurring item, a new edition, a follow-up).
_POLICY = (
    "kind",
    "abstract_vs_paper",
    "preprint",
    "year_gap",
    "recurring_year",
    "venue_and_year",
    "registration",
    "trial_id",
)
POSSIBLE_COLUMNS = POSSIBLE_DUPLICATES.names


def override_line(id_a: str, id_b: str, decision: str) -> str:
    """A line of the overrides file (id_a,id_b,decision), CSV-quoted where an id needs it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([id_a, id_b, decision])
    return buffer.getvalue()


def _closest_per_work(work_a: np.ndarray, work_b: np.ndarray) -> np.ndarray:
    """Which pairs (in likelihood order) to list: each work in at most one line, its most
    likely one. A work that resembles several (a recurring column) shows its best match;
    the rest come up again once the reviewer has decided that one and the run is repeated."""
    listed: set[int] = set()
    keep = np.zeros(len(work_a), dtype=bool)
    for k, (x, y) in enumerate(zip(work_a.tolist(), work_b.tolist())):
        if x not in listed and y not in listed:
            keep[k] = True
            listed.update((x, y))
    return keep


def _text(records: pd.DataFrame, field: str, positions: np.ndarray) -> np.ndarray:
    values = records[field].to_numpy()[positions]
    if field == "authors":
        return np.array(
            [
                "; ".join(v[:3]) + ("; et al." if len(v) > 3 else "")
                if isinstance(v, (list, tuple))
                else ""
                for v in values
            ],
            dtype=object,
        )
    if field == "year":
        values = (
            pd.to_numeric(pd.Series(values), errors="coerce")
            .astype("Int64")
            .astype(str)
            .replace("<NA>", "")
            .to_numpy()
        )
    return np.array(
        ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values],
        dtype=object,
    )


def possible_duplicates(
    records: pd.DataFrame,
    a: np.ndarray,
    b: np.ndarray,
    s: dict,
    relation: np.ndarray,
    labels: np.ndarray,
    work_key: np.ndarray,
) -> pd.DataFrame:
    """The listed pairs (POSSIBLE_COLUMNS), from the candidate pairs (a, b), their scores ``s``,
    relations (related.relations) and work per record (``labels``, ``work_key``)."""
    bits = s["veto_bits"]
    title = np.nan_to_num(s["title"])
    policy = np.logical_or.reduce([has_veto(bits, name) for name in _POLICY]) | (relation != "")
    # One database's export lists each work once: its own records of one title are separate items.
    export = database_exports(records)
    same_export = (export[a] == export[b]) & (export[a] != "")
    apart = (labels[a] != labels[b]) & ~policy & ~same_export
    vetoes = veto_count(bits)
    no_locator = ~(s["volume_both"] | s["pages_both"] | s["doi_both"] | s["pmid_both"])
    reasons = {
        # (a DOI shared by unrelated titles is a supplement's or a book's, not a work's)
        "equal DOI kept apart": s["doi_same"] & (title >= 70),
        "near-equal titles, one veto": (title >= 90) & (vetoes == 1),
        "close titles, no rule merged": (title >= 85) & (vetoes == 0),
        "close titles, no locator": (title >= 80) & no_locator & (vetoes <= 1),
        # (merged only on an identifier: see compare.decide's citation rule)
        "no title, citation agrees": s["no_title"]
        & s["volume_same"]
        & s["pages_same"]
        & (np.nan_to_num(s["journal"]) >= 85)
        & (s["first_author_same"] | (np.nan_to_num(s["authors"]) >= 90))
        & (vetoes == 0),
    }
    reason = np.full(len(a), "", dtype=object)
    for name, hit in reversed(list(reasons.items())):
        reason[hit] = name
    idx = np.flatnonzero(apart & (reason != ""))
    if not len(idx):
        return pd.DataFrame(columns=POSSIBLE_COLUMNS)
    # Most likely first: a shared DOI, then fewer vetoes, then the closest title and authors.
    authors = np.nan_to_num(s["authors"], nan=0.0)
    order = np.lexsort(
        (b[idx], a[idx], -authors[idx], -title[idx], vetoes[idx], ~s["doi_same"][idx])
    )
    idx = idx[order]
    idx = idx[_closest_per_work(labels[a[idx]], labels[b[idx]])]
    pa, pb = a[idx], b[idx]
    ids = records["record_id"].to_numpy()
    columns = {
        "rank": np.arange(1, len(idx) + 1),
        "reason": reason[idx],
        "veto": veto_names(bits[idx]),
        "title_score": np.round(s["title"][idx], 1),
        "authors_score": np.round(s["authors"][idx], 1),
        "journal_score": np.round(s["journal"][idx], 1),
        "record_a": ids[pa],
        "record_b": ids[pb],
        "work_a": work_key[pa],
        "work_b": work_key[pb],
        **{
            f"{field}_{side}": _text(records, field, at)
            for field in POSSIBLE_FIELDS
            for side, at in (("a", pa), ("b", pb))
        },
        # The overrides file's own lines: paste one into config/dedup_overrides.csv.
        "accept": [override_line(x, y, "same") for x, y in zip(ids[pa], ids[pb])],
        "reject": [override_line(x, y, "different") for x, y in zip(ids[pa], ids[pb])],
    }
    return pd.DataFrame({name: columns[name] for name in POSSIBLE_COLUMNS})
