"""Trial-register IDs as evidence: one trial's registrations are one work, and an
article that names a registration's ID reports that trial without being it.

A register entry's ID is the trial's identity: ClinicalTrials.gov's own record,
ICTRP's re-publication of it and CENTRAL's copy ("CTgov NCT01234567") all carry
it, and ICTRP lists the trial's other registers' IDs as secondary IDs. Two
registrations sharing an ID are therefore one trial, unless their IDs show two
trials: both carry IDs of one register and none in common, or each is its own
entry of one register under a different ID. A journal article naming a
registration's ID (in its secondary-ID field or its abstract) is a report of the
registered trial: PRISMA 2020 counts reports and studies apart, so it is linked
to the registration (related.csv), never merged with it.

IDs are compared as ``ingest.trial_ids`` writes them (canonical, hyphens folded),
as exact strings: a blocking key plus exact matches on the few pairs that share one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewflow.ingest import trial_ids

REGISTRATION = "trial registration"  # records.PUBLICATION_TYPES


def trial_keys(records: pd.DataFrame) -> pd.DataFrame:
    """Per record: is it a registration, the trial IDs it carries (a tuple; a
    registration's own ID first) and the register of each ID ("" = unknown form).

    A registration carries the IDs its register lists; any other record the IDs of
    its secondary-ID field and those its abstract names. Without a registration in
    the set no ID can link or merge anything, and abstracts are not searched."""
    registration = records["publication_type"].to_numpy(dtype=object) == REGISTRATION
    if not registration.any():
        empty = np.empty(len(records), dtype=object)
        empty.fill(())
        return pd.DataFrame(
            {"registration": registration, "trial_ids": empty, "trial_registers": empty},
            index=records.index,
        )
    listed = [
        tuple(v) if isinstance(v, (list, tuple)) else () for v in records["register_ids"].tolist()
    ]
    # Only the other records' abstracts count (a registration's summary may name other trials).
    abstract = records["abstract"].fillna("").astype(str).where(~registration, "")
    codes, abstracts = pd.factorize(abstract, sort=False)
    named = [tuple(found) for found in trial_ids.find_each(list(abstracts))]
    ids = [
        own if is_reg or not named[code] else tuple(dict.fromkeys(own + named[code]))
        for own, is_reg, code in zip(listed, registration.tolist(), codes.tolist())
    ]
    register = {i: trial_ids.register_of(i) for i in {i for group in ids for i in group}}
    registers = [tuple(map(register.__getitem__, group)) if group else () for group in ids]
    return pd.DataFrame(
        {"registration": registration, "trial_ids": ids, "trial_registers": registers},
        index=records.index,
    )


def _flat(groups: np.ndarray, pair: np.ndarray) -> tuple[np.ndarray, list]:
    """(pair number, item) for every item of every pair's group."""
    lengths = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    return np.repeat(pair, lengths), [item for g in groups for item in g]


def candidate_pairs(keys: pd.DataFrame) -> np.ndarray:
    """Pairs (encoded a * n + b, a < b) of a registration and another record sharing a
    trial ID; two articles naming one trial are not paired for it (several reports)."""
    n = len(keys)
    registration = keys["registration"].to_numpy()
    if not registration.any():
        return np.empty(0, np.int64)
    ids = keys["trial_ids"].to_numpy()
    has = np.flatnonzero(np.fromiter((len(g) > 0 for g in ids), dtype=bool, count=n))
    record, trial = _flat(ids[has], has)
    table = pd.DataFrame({"record": record, "trial": trial}).drop_duplicates()
    regs = table[registration[table["record"].to_numpy()]]
    joined = regs.merge(table, on="trial", suffixes=("_reg", "_other"))
    x, y = joined["record_reg"].to_numpy(), joined["record_other"].to_numpy()
    keep = x != y
    x, y = x[keep], y[keep]
    return np.unique(np.minimum(x, y).astype(np.int64) * n + np.maximum(x, y))


def flags(col: dict, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Per pair: registration_mixed (one side a registration), trial_shared (a trial ID in
    common), trial_conflict (two registrations whose IDs show two trials) and
    trial_same (two registrations of one trial: an ID shared, none in conflict)."""
    registration = col["registration"]
    ids, registers = col["trial_ids"], col["trial_registers"]
    reg_a, reg_b = registration[a], registration[b]
    out = {
        name: np.zeros(len(a), dtype=bool)
        for name in ("trial_shared", "trial_conflict", "trial_same")
    }
    out["registration_mixed"] = reg_a != reg_b
    if not registration.any():  # most reviews: nothing more to compare
        return out
    has = col["trial_ids_any"]
    idx = np.flatnonzero((reg_a | reg_b) & has[a] & has[b])
    if len(idx):
        pa, left = _flat(ids[a[idx]], idx)
        _, left_reg = _flat(registers[a[idx]], idx)
        pb, right = _flat(ids[b[idx]], idx)
        _, right_reg = _flat(registers[b[idx]], idx)
        left = pd.DataFrame({"pair": pa, "trial": left, "register": left_reg})
        right = pd.DataFrame({"pair": pb, "trial": right, "register": right_reg})
        shared = left.merge(right, on=["pair", "trial"])["pair"].to_numpy()
        out["trial_shared"][shared] = True
        # One register's IDs on both sides and none in common: two trials (each register
        # gives a trial one ID; EudraCT's per-country suffixes are folded away).
        same_register = left[left["register"] != ""].merge(right, on=["pair", "register"])
        agree = (
            (same_register["trial_x"] == same_register["trial_y"])
            .groupby([same_register["pair"], same_register["register"]])
            .any()
        )
        disjoint = agree.index.get_level_values("pair")[~agree.to_numpy()]
        out["trial_conflict"][np.unique(disjoint)] = True
    # Each its own entry of one register under another ID (an extension study that lists
    # its parent trial as a secondary ID is still another entry).
    both = np.flatnonzero(reg_a & reg_b)
    x, y = a[both], b[both]
    own_x, own_y, register_x = (
        col["trial_own"][x],
        col["trial_own"][y],
        col["trial_own_register"][x],
    )
    own_conflict = (
        (own_x != own_y) & (register_x == col["trial_own_register"][y]) & (register_x != "")
    )
    conflict = out["trial_conflict"][both] | own_conflict
    out["trial_conflict"] = np.zeros(len(a), dtype=bool)
    out["trial_conflict"][both] = conflict
    out["trial_same"][both] = out["trial_shared"][both] & ~conflict
    return out


def columns(keys: pd.DataFrame) -> dict[str, np.ndarray]:
    """The arrays ``flags`` reads, from ``trial_keys``'s columns in ``keys``."""
    ids = keys["trial_ids"].to_numpy()
    registers = keys["trial_registers"].to_numpy()
    registration = keys["registration"].to_numpy()
    if not registration.any():
        none = np.full(len(ids), "", dtype=object)
        return {
            "trial_ids_any": np.zeros(len(ids), dtype=bool),
            "trial_own": none,
            "trial_own_register": none,
        }
    first = lambda groups: np.array([g[0] if g else "" for g in groups], dtype=object)  # noqa: E731
    return {
        "trial_ids_any": np.fromiter((len(g) > 0 for g in ids), dtype=bool, count=len(ids)),
        "trial_own": np.where(registration, first(ids), ""),
        "trial_own_register": np.where(registration, first(registers), ""),
    }


def shared_ids(col: dict, a: np.ndarray, b: np.ndarray) -> list[str]:
    """Per pair, the trial IDs both records carry, ", "-joined (a's order): the evidence of a
    link."""
    ids = col["trial_ids"]
    return [
        ", ".join(i for i in ids[x] if i in other) for x, other in zip(a.tolist(), map(set, ids[b]))
    ]
