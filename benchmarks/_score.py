"""Pairwise scoring of a clustering against labelled groups (shared by the benchmarks)."""

from __future__ import annotations

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
    return {"precision": precision, "recall": recall, "f1": f1, "mixed_clusters": mixed,
            "true_pairs": true_pairs, "predicted_pairs": pred_pairs, "clusters": frame["pred"].nunique()}
