"""Pairwise scoring of a clustering against labelled groups (shared by the benchmarks)."""

from __future__ import annotations

import itertools

import pandas as pd


def _pair_count(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def score(truth: pd.Series, predicted: pd.Series) -> dict:
    """truth, predicted: group label per record (same index). Pairwise precision/recall/F1."""
    frame = pd.DataFrame({"truth": truth, "pred": predicted})
    true_pairs = _pair_count(frame.groupby("truth").size())
    pred_pairs = _pair_count(frame.groupby("pred").size())
    both = _pair_count(frame.groupby(["truth", "pred"]).size())
    precision = both / pred_pairs if pred_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    mixed = int((frame.groupby("pred")["truth"].nunique() > 1).sum())
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "mixed_clusters": mixed,
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "clusters": frame["pred"].nunique(),
        "hits": both,
    }


def group_pairs(labels: pd.Series) -> set[tuple[str, str]]:
    """Every pair (x, y), x < y, of ids (the index) that share a label."""
    out = set()
    for ids in labels.groupby(labels).groups.values():
        out.update(itertools.combinations(sorted(ids), 2))
    return out


def pair_score(true_pairs: set, predicted: set, left_out: set) -> dict:
    """Pairwise counts with the ``left_out`` pairs (labelled pairs the policy keeps apart)
    removed from both sides."""
    truth, pred = true_pairs - left_out, predicted - left_out
    hits = len(truth & pred)
    return {
        "precision": hits / len(pred) if pred else 1.0,
        "recall": hits / len(truth) if truth else 1.0,
        "hits": hits,
        "true_pairs": len(truth),
        "predicted_pairs": len(pred),
    }
