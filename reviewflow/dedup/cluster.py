"""Group matched pairs into works without chaining different works together.

Matched pairs are merged strongest rule first (then highest title score, then
record order), union-find style, but two clusters join only if no record of one
conflicts with any record of the other: a veto (different DOI, PMID, volume,
pages, year, part number, kind ...) or a reviewer's "different". So A~B and B~C
can never put A and C in one work when A and C are known to differ.
"""

from __future__ import annotations

import numpy as np

from reviewflow.dedup.compare import score_pairs


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A connected-component label per position 0..n-1 under the pairs (a[i], b[i]):
    the smallest member's position. Vectorised: each pass lowers both ends of every
    pair to their smaller label, then jumps labels to their labels' labels, until
    nothing changes."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[a], label[b])
        lowered = label.copy()
        np.minimum.at(lowered, a, low)
        np.minimum.at(lowered, b, low)
        lowered = lowered[lowered]
        if (lowered == label).all():
            return label
        label = lowered


def _component_pairs(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of records that the matched pairs connect, even indirectly.

    These are the only pairs clustering could put together, so they are the
    only ones whose vetoes must be known. Components are small (a work's records),
    so their pairs number about the matched pairs.
    """
    parent = components(n, a, b)
    order = np.argsort(parent, kind="stable")
    comp = parent[order]
    found_a, found_b = [], []
    active = np.arange(len(order))
    step = 1
    while len(active):
        active = active[active + step < len(order)]
        same = comp[active] == comp[active + step]
        active = active[same]
        found_a.append(order[active])
        found_b.append(order[active + step])
        step += 1
    if not found_a:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    left, right = np.concatenate(found_a), np.concatenate(found_b)
    return np.minimum(left, right), np.maximum(left, right)


def conflicts(
    col: dict, n: int, a: np.ndarray, b: np.ndarray, preprint_same: bool, scored
) -> dict[int, set[int]]:
    """Record -> records it must never share a work with, among those the pairs connect.

    ``scored`` is (a * n + b, vetoed) of pairs already scored, ascending: most pairs a
    component connects are candidate pairs, whose vetoes are known; only the others are
    scored here."""
    ca, cb = _component_pairs(n, a, b)
    codes = ca * n + cb
    known, known_veto = scored
    at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
    found = known[at] == codes if len(known) else np.zeros(len(ca), dtype=bool)
    veto = np.zeros(len(ca), dtype=bool)
    veto[found] = known_veto[at[found]]
    veto[~found] = score_pairs(col, ca[~found], cb[~found], preprint_same)["vetoed"]
    out: dict[int, set[int]] = {}
    for x, y in zip(ca[veto].tolist(), cb[veto].tolist()):
        out.setdefault(x, set()).add(y)
        out.setdefault(y, set()).add(x)
    return out


def cluster(
    n: int, a: np.ndarray, b: np.ndarray, forced: np.ndarray, cannot: dict[int, set[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster label (smallest member position) per record, and which pairs were accepted.

    Pairs must come in priority order. ``forced`` pairs (a reviewer's "same")
    merge regardless of conflicts.
    """
    root = list(range(n))
    members: dict[int, set[int]] = {}

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    accepted = np.zeros(len(a), dtype=bool)
    for k, (x, y, force) in enumerate(zip(a.tolist(), b.tolist(), forced.tolist())):
        rx, ry = find(x), find(y)
        if rx == ry:
            accepted[k] = True
            continue
        mx, my = members.get(rx, {rx}), members.get(ry, {ry})
        if len(mx) > len(my):
            rx, ry, mx, my = ry, rx, my, mx
        if not force and any(cannot.get(m) and not cannot[m].isdisjoint(my) for m in mx):
            continue
        root[rx] = ry
        my |= mx
        members[ry] = my
        members.pop(rx, None)
        accepted[k] = True
    labels = np.array([find(x) for x in range(n)], dtype=np.int64)
    # Label by smallest member so that labels do not depend on merge order.
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n))
    return smallest[labels], accepted
