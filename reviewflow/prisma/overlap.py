"""What each database contributed (CiteSource-style overlap), from the ledger.

Works are the ledger's clusters; a work was found by a database if any record of
its cluster came from that database. Only the last round's records count.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.config import in_config_order
from reviewflow.safe import safe_frame

MAX_COMBINATIONS = 20  # upset bars shown; the rest are rare and summed in the caption


def _current(ledger: pd.DataFrame, rounds: list[str]) -> pd.DataFrame:
    return ledger[ledger["round"] == rounds[-1]]


def work_sets(ledger: pd.DataFrame, rounds: list[str]) -> pd.DataFrame:
    """One row per work: the databases that found it, whether it was included, its label."""
    rows = _current(ledger, rounds)
    primary = rows[rows["status"] != "duplicate"].set_index("cluster_id")
    works = (
        rows.groupby("cluster_id")["source_db"]
        .agg(lambda dbs: frozenset(dbs))
        .rename("databases")
        .to_frame()
    )
    works["included"] = primary["status"].reindex(works.index).eq("included")
    label = primary["study"].where(primary["study"] != "", primary["work_key"])
    works["label"] = label.reindex(works.index).fillna("")
    return works


def database_order(ledger: pd.DataFrame, databases: list[str]) -> list[str]:
    return in_config_order(databases, ledger["source_db"])


def overlap_table(ledger: pd.DataFrame, rounds: list[str], databases: list[str]) -> pd.DataFrame:
    rows = _current(ledger, rounds)
    works = work_sets(ledger, rounds)
    included = works[works["included"]]
    table = []
    for db in database_order(rows, databases):
        # astype(bool): an empty map is object-typed, and indexing with it would pick columns.
        found = works[works["databases"].map(lambda s: db in s).astype(bool)]
        found_included = included[included["databases"].map(lambda s: db in s).astype(bool)]
        table.append(
            {
                "database": db,
                "records": int((rows["source_db"] == db).sum()),
                "works": len(found),
                "unique_works": int(found["databases"].map(len).eq(1).sum()),
                "included_found": len(found_included),
                "included_total": len(included),
                "sensitivity": round(len(found_included) / len(included), 3)
                if len(included)
                else "",
                "included": "; ".join(sorted(found_included["label"])),
            }
        )
    return pd.DataFrame(table)


def write_table(table: pd.DataFrame, path) -> None:
    safe_frame(table).to_csv(path, index=False, lineterminator="\n")


def combinations(works: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Works and included works per exact combination of databases, largest first."""
    combo = works["databases"].map(lambda s: tuple(db for db in order if db in s))
    combos = (
        works.assign(combo=combo)
        .groupby("combo")
        .agg(works=("included", "size"), included=("included", "sum"))
    )
    ranked = sorted(
        combos.itertuples(),
        key=lambda r: (-r.works, len(r.Index), [order.index(db) for db in r.Index]),
    )
    return pd.DataFrame(
        [{"combo": r.Index, "works": int(r.works), "included": int(r.included)} for r in ranked]
    )


def save_figure(works: pd.DataFrame, order: list[str], paths) -> None:
    """An upset plot: bars of works per database combination (included works dark),
    a dot matrix of which databases make each combination, and works per database."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from reviewflow.prisma.draw import METADATA, RC

    combos = combinations(works, order)
    shown = combos.head(MAX_COMBINATIONS)
    x = range(len(shown))
    slots = max(len(shown), 6)  # bars keep their width when there are few combinations
    names_w = 0.3 + 0.075 * max(len(db) for db in order)  # inches, for 8 pt names
    with plt.rc_context(RC):
        fig = plt.figure(figsize=(1.5 + names_w + 0.32 * slots, 2.2 + 0.28 * len(order)))
        grid = fig.add_gridspec(
            2,
            3,
            width_ratios=(1.5, names_w, slots * 0.32),
            height_ratios=(2.2, 0.28 * len(order)),
            wspace=0.0,
            hspace=0.04,
        )
        bars, matrix, sizes = (
            fig.add_subplot(grid[0, 2]),
            fig.add_subplot(grid[1, 2]),
            fig.add_subplot(grid[1, 0]),
        )
        names = fig.add_subplot(grid[1, 1])
        names.set_ylim(len(order) - 0.5, -0.5)
        names.axis("off")
        for i, db in enumerate(order):
            names.text(0.5, i, db, ha="center", va="center", fontsize=8)
        bars.bar(x, shown["works"], color="#A9C6E8", label="Works")
        bars.bar(x, shown["included"], color="#1F4E79", label="Included works")
        for i, n in zip(x, shown["works"]):
            bars.text(i, n, str(n), ha="center", va="bottom", fontsize=7)
        bars.set_xlim(-0.6, slots - 0.4)
        bars.set_ylim(0, max(shown["works"].max(), 1) * 1.12)
        bars.yaxis.set_major_locator(MaxNLocator(integer=True))
        bars.set_xticks([])
        bars.set_ylabel("Works")
        bars.spines[["top", "right"]].set_visible(False)
        # The legend sits in the empty top-left corner, clear of the bars.
        legend = fig.add_subplot(grid[0, :2])
        legend.axis("off")
        legend.legend(
            *bars.get_legend_handles_labels(), frameon=False, fontsize=8, loc="upper left"
        )
        hidden = combos["works"].iloc[MAX_COMBINATIONS:].sum()
        title = "Works found by each combination of databases"
        if hidden:
            title += f"\n({len(combos) - len(shown)} rarer combinations, {hidden} works, not shown)"
        bars.set_title(title, fontsize=9)
        for i, combo in zip(x, shown["combo"]):
            ys = [order.index(db) for db in combo]
            matrix.scatter([i] * len(order), range(len(order)), s=28, color="#D9D9D9", zorder=1)
            matrix.scatter([i] * len(ys), ys, s=28, color="black", zorder=2)
            if len(ys) > 1:
                matrix.plot([i, i], [min(ys), max(ys)], color="black", linewidth=1.2, zorder=2)
        matrix.set_xlim(-0.6, slots - 0.4)
        matrix.set_ylim(len(order) - 0.5, -0.5)
        matrix.axis("off")
        per_db = [int(works["databases"].map(lambda s, db=db: db in s).sum()) for db in order]
        sizes.barh(range(len(order)), per_db, color="#7F7F7F", height=0.6)
        sizes.set_ylim(len(order) - 0.5, -0.5)
        sizes.invert_xaxis()
        sizes.set_yticks([])
        sizes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        sizes.set_xlabel("Works per database", fontsize=8)
        sizes.tick_params(axis="x", labelsize=7)
        sizes.spines[["top", "left", "right"]].set_visible(False)
        for path in paths:
            fig.savefig(
                path,
                dpi=300,
                metadata=METADATA[str(path)[str(path).rindex(".") :]],
                bbox_inches="tight",
            )
        plt.close(fig)
