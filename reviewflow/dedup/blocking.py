"""Candidate pairs: only records that share a blocking key are ever compared.

Each key is a sorted-neighbourhood pass: records are sorted by (key, title) and
every record is paired with the next ``window`` records that carry the same key.
A small block yields all its pairs; a huge block ("wang 2020") yields at most
``window`` pairs per record, with near-identical titles sorted next to each other.
The cost is therefore linear in the number of records for a fixed window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _key_columns(keys: pd.DataFrame) -> dict[str, tuple[pd.Series, int]]:
    """Blocking key -> (key per record, "" = no key; window)."""
    title = keys["title_key"].where(~keys["generic"], "")
    long_title = title.where(title.str.len() >= 12, "")
    year = keys["year"].astype(str).where(keys["year"] > 0, "")
    first = keys["first_author"]
    words = long_title.str.split()
    # The four longest title words, sorted: survives word order changes and
    # insertions at either end that defeat the prefix and suffix keys.
    longest = words.map(lambda ws: " ".join(sorted(sorted(set(ws), key=lambda w: (-len(w), w))[:4])))
    has = lambda *cols: np.logical_and.reduce([c != "" for c in cols])  # noqa: E731
    return {
        "doi": (keys["doi_key"], 20),
        "pmid": (keys["pmid"], 20),
        "title_prefix": (long_title.str.slice(0, 32), 12),
        "title_suffix": (long_title.str.slice(-32), 12),
        "title_words": (longest.where(words.str.len() >= 3, ""), 12),
        "author_year": ((first + "|" + year).where(has(first, year), ""), 8),
        "citation": (
            (keys["journal_init"] + "|" + keys["volume"] + "|" + keys["page_start"]).where(
                has(keys["journal_init"], keys["volume"], keys["page_start"]), ""
            ),
            8,
        ),
        "author_pages": ((first + "|" + keys["page_start"]).where(has(first, keys["page_start"]), ""), 8),
        "abstract": (keys["abstract_key"].str.slice(0, 64).where(keys["abstract_key"].str.len() >= 64, ""), 8),
    }


def candidate_pairs(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs (a, b), a < b, as positions into ``keys``; sorted."""
    n = len(keys)
    title_rank = pd.factorize(keys["title_key"], sort=True)[0]
    found = []
    for key, window in _key_columns(keys).values():
        codes = pd.factorize(key, sort=True)[0]
        codes = np.where(key.to_numpy() == "", -1, codes)
        order = np.lexsort((np.arange(n), title_rank, codes))
        order = order[codes[order] >= 0]
        sorted_codes = codes[order]
        for step in range(1, window + 1):
            if step >= len(order):
                break
            same = sorted_codes[:-step] == sorted_codes[step:]
            if not same.any():
                break
            a, b = order[:-step][same], order[step:][same]
            found.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    pairs = np.unique(np.concatenate(found))
    return pairs // n, pairs % n
