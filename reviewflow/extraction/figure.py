"""A risk-of-bias traffic-light plot in the style of robvis' rob_traffic_light()."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .spec import RobTool  # noqa: E402

# robvis' "cochrane" colour scheme and symbols.
STYLE = {
    "Low": ("#02C100", "+"),
    "Some concerns": ("#E2DF07", "-"),
    "Moderate": ("#E2DF07", "-"),
    "High": ("#BF0000", "X"),
    "Serious": ("#BF0000", "X"),
    "Critical": ("#820000", "!"),
    "No information": ("#4EA1F7", "?"),
}


def traffic_light(tool: RobTool, rob: pd.DataFrame, path: str | Path) -> None:
    columns = tool.columns[1:]
    n_rows, n_cols = len(rob), len(columns)
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * n_cols + 2.2, 1.6 + 0.45 * max(n_rows, 1)))
    for i, row in enumerate(rob.itertuples(index=False)):
        y = n_rows - 1 - i
        for j, column in enumerate(columns):
            colour, symbol = STYLE[getattr(row, column)]
            ax.scatter(j, y, s=520, color=colour, edgecolors="black", linewidths=0.5, zorder=2)
            ax.text(
                j, y, symbol, ha="center", va="center", fontsize=11, fontweight="bold", zorder=3
            )
    ax.set_xticks(range(n_cols), columns)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), list(rob["Study"])[::-1])
    ax.set_xlim(-0.6, n_cols - 0.4)
    ax.set_ylim(-0.6, n_rows - 0.4)
    ax.axvline(n_cols - 1.5, color="grey", linewidth=0.8)  # sets Overall apart
    ax.set_xlabel("Risk of bias domains")
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(True, color="#DDDDDD", zorder=0)
    domains = "\n".join(f"D{i}: {d}" for i, d in enumerate(tool.domains, start=1))
    # Below the grid, as robvis does; bbox_inches="tight" makes room for it.
    ax.text(-0.6, -0.8, domains, fontsize=8, va="top", ha="left")
    used = [j for j in tool.judgements if j in set(rob[columns].to_numpy().ravel())] or list(
        tool.judgements
    )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=12,
            markerfacecolor=STYLE[j][0],
            markeredgecolor="black",
            label=f"{STYLE[j][1]}  {j}",
        )
        for j in used
    ]
    ax.legend(
        handles=handles,
        title="Judgement",
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        frameon=False,
    )
    ax.set_title(tool.name, pad=30)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Fixed metadata: no software version or date in the file, so reruns give the same bytes.
    fig.savefig(path, dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
