"""Candidate pairs: only records that share a blocking key are ever compared.

Each key is a sorted-neighbourhood pass: records are sorted by (key, title) and
every record is paired with the next ``window`` records that carry the same key.
A small block yields all its pairs; a huge block ("wang 2020") yields at most
``window`` pairs per record, with near-identical titles sorted next to each other.
The cost is therefore linear in the number of records for a fixed window.
Trial IDs are the one exact key without a window: every record naming a
registration's ID is paired with it (dedup.registrations).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewflow.dedup import registrations


def _key_columns(keys: pd.DataFrame) -> dict[str, tuple[pd.Series, int]]:
    """Blocking key -> (key per record, "" = no key; window)."""
    usable = ~keys["generic"].to_numpy()
    title = keys["title_key"].to_numpy()
    long_title = np.where(usable & (keys["title_key"].str.len().to_numpy() >= 12), title, "")
    prefix = np.array([t[:32] for t in long_title], dtype=object)
    suffix = np.array([t[-32:] for t in long_title], dtype=object)
    year = keys["year"].astype(str).where(keys["year"] > 0, "")
    first = keys["first_author"]
    has = lambda *cols: np.logical_and.reduce([c != "" for c in cols])  # noqa: E731
    abstract = keys["abstract_key"].to_numpy()
    return {
        "doi": (keys["doi_key"], 20),
        "pmid": (keys["pmid"], 20),
        "title_prefix": (pd.Series(prefix), 6),
        "title_suffix": (pd.Series(suffix), 6),
        "title_words": (keys["title_words"].where(usable, ""), 6),
        "author_year": ((first + "|" + year).where(has(first, year), ""), 5),
        "citation": (
            (keys["journal_init"] + "|" + keys["volume"] + "|" + keys["page_start"]).where(
                has(keys["journal_init"], keys["volume"], keys["page_start"]), ""
            ),
            5,
        ),
        "author_pages": (
            (first + "|" + keys["page_start"]).where(has(first, keys["page_start"]), ""),
            5,
        ),
        "abstract": (
            pd.Series([t[:64] if len(t) >= 64 else "" for t in abstract], dtype=object),
            3,
        ),
    }


def candidate_pairs(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs (a, b), a < b, as positions into ``keys``; sorted."""
    n = len(keys)
    title_rank = pd.factorize(keys["title_key"], sort=True)[0]
    found = []
    for key, window in _key_columns(keys).values():
        key = key.to_numpy()
        # (which number a key gets does not matter: only records with equal keys meet)
        codes = pd.factorize(key)[0]
        codes = np.where(key == "", -1, codes)
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
    # A trial ID pairs a registration with every record carrying it, however far apart their titles
    # sort.
    found.append(registrations.candidate_pairs(keys))
    pairs = np.unique(np.concatenate(found))
    return pairs // n, pairs % n
