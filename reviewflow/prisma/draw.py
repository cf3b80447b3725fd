"""Render a flow-diagram layout with matplotlib, byte-for-byte reproducibly."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from reviewflow.prisma.layout import FONT_SIZE, INDENT, LINE_HEIGHT, PAD, Layout  # noqa: E402

# PRISMA 2020 template colours: yellow header for this search, grey for previous
# studies and for other methods, blue side labels; red for the note that a review is still in
# progress.
FILL = {
    "box": "white",
    "header": "#FFC000",
    "previous_header": "#D9D9D9",
    "other_header": "#D9D9D9",
    "side": "#A9C6E8",
    "note": "#F4B6B6",
}

# Text stays text in the SVG (searchable, editable by a journal); no dates or
# random ids, so the same counts give the same bytes.
RC = {
    "svg.hashsalt": "reviewflow",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
}
METADATA = {".svg": {"Date": None}, ".pdf": {"CreationDate": None}, ".png": {}}


def figure(layout: Layout):
    fig = plt.figure(figsize=(layout.width / 72, layout.height / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    for box in layout.boxes:
        rounded = box.kind != "box"
        patch = FancyBboxPatch(
            (box.x, box.y),
            box.w,
            box.h,
            boxstyle="round,pad=0,rounding_size=5" if rounded else "square,pad=0",
            facecolor=FILL[box.kind],
            edgecolor="none" if rounded else "black",
            linewidth=0.8,
        )
        patch.set_gid(f"box-{box.key}")
        ax.add_patch(patch)
        if box.kind == "side":
            ax.text(
                box.x + box.w / 2,
                box.y + box.h / 2,
                box.lines[0][1],
                rotation=90,
                ha="center",
                va="center",
                fontweight="bold",
            )
        elif box.kind != "box":
            ax.text(
                box.x + box.w / 2,
                box.y + box.h / 2,
                box.lines[0][1],
                ha="center",
                va="center",
                fontweight="bold",
            )
        else:
            for i, (level, text) in enumerate(box.lines):
                ax.text(
                    box.x + PAD + level * INDENT,
                    box.y + PAD + i * LINE_HEIGHT + LINE_HEIGHT / 2,
                    text,
                    ha="left",
                    va="center_baseline",
                )
    for start, end in layout.lines:
        ax.plot(*zip(start, end), color="black", linewidth=0.8, solid_capstyle="butt")
    for start, end in layout.arrows:
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops=dict(
                arrowstyle="-|>",
                color="black",
                linewidth=0.8,
                shrinkA=0,
                shrinkB=0,
                mutation_scale=9,
            ),
        )
    return fig


def save(layout: Layout, paths: list[Path], dpi: int = 300) -> None:
    """Write the diagram to each path; the suffix (.svg, .png, .pdf) picks the format."""
    with plt.rc_context(RC):
        fig = figure(layout)
        for path in paths:
            path = Path(path)
            fig.savefig(path, dpi=dpi, metadata=METADATA[path.suffix])
        plt.close(fig)


def svg_element(layout: Layout) -> str:
    """The diagram as an inline <svg> element (no XML prolog), for the HTML page."""
    buffer = io.StringIO()
    with plt.rc_context(RC):
        fig = figure(layout)
        fig.savefig(buffer, format="svg", metadata=METADATA[".svg"])
        plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
