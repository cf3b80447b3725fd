"""Where each box of the PRISMA 2020 flow diagram goes and what it says.

Pure geometry and text, in points with y growing downwards; ``draw`` renders it
with matplotlib and ``html`` makes its boxes clickable. The wording is the PRISMA
2020 template's (Page et al. 2021): the template for new reviews, or for updated
reviews (a "Previous studies" column and new/total included) when the counts
carry ``previous_studies``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from reviewflow.config import in_config_order

FONT_SIZE = 9.0
LINE_HEIGHT = 12.0
PAD = 7.0
INDENT = 10.0
SIDE_W, MAIN_W, RIGHT_W, PREVIOUS_W = 24.0, 220.0, 240.0, 190.0
COLUMN_GAP, ROW_GAP, MARGIN = 42.0, 24.0, 6.0
HEADER_H = 30.0

_FONT = FontProperties(family="DejaVu Sans", size=FONT_SIZE)


@dataclass(frozen=True)
class Box:
    key: str  # a PRISMA2020 data key (or a label name); the HTML page lists its records
    kind: str  # "box", "header", "previous_header", "other_header", "side" or "note" (in progress)
    x: float
    y: float
    w: float
    h: float
    lines: tuple[tuple[int, str], ...]  # (indent level, text), already wrapped


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[tuple[tuple[float, float], tuple[float, float]], ...]
    # Segments drawn without a head: the bend of an arrow that turns a corner.
    lines: tuple[tuple[tuple[float, float], tuple[float, float]], ...] = ()


def text_width(text: str) -> float:
    width, _, _ = text_to_path.get_text_width_height_descent(text, _FONT, ismath=False)
    return width


def wrap(items: list[tuple[int, str]], width: float) -> tuple[tuple[int, str], ...]:
    """Greedy word wrap on measured text widths; list items get a hanging indent."""
    out = []
    for level, text in items:
        # "(n = 1,482)" never breaks across lines (the separator may be a space).
        words, line, indent = re.findall(r"\(n = [^)]*\)|\S+", text), "", level
        for word in words:
            trial = f"{line} {word}" if line else word
            if line and text_width(trial) > width - indent * INDENT:
                out.append((indent, line))
                line, indent = word, level + 1 if level else level
            else:
                line = trial
        out.append((indent, line))
    return tuple(out)


# The separator is `prisma: thousands_separator`, one of the schema's choices (the config
# is checked before anything is drawn). The default, none, is how the PRISMA 2020 statement
# (BMJ house style) prints a count such as 1482; the PRISMA2020 R package prints 1,482.
def format_count(n: int, separator: str = "") -> str:
    """A count as the diagram prints it: 1482 -> "1482", or "1,482" with separator ","."""
    return f"{int(n):,}".replace(",", separator)


def reasons_by_count(counts: dict, field: str = "dbr_excluded") -> list[tuple[str, int]]:
    """Full-text exclusion reasons (of ``field``), most frequent first (ties by name)."""
    return sorted(counts.get(field, {}).items(), key=lambda item: (-item[1], item[0]))


def box_texts(
    counts: dict, databases: list[str], separator: str = ""
) -> dict[str, list[tuple[int, str]]]:
    """The unwrapped text of every numbered box, keyed by PRISMA2020 data key."""

    def _n(value) -> str:
        return f"(n = {format_count(value, separator)})"

    per_db = counts.get("database_specific_results", {})
    names = in_config_order(databases, per_db)
    update = "previous_studies" in counts
    texts = {
        "database_results": [
            (0, "Records identified from:"),
            (0, f"Databases {_n(counts['database_results'])}"),
        ]
        + [(1, f"{name} {_n(per_db.get(name, 0))}") for name in names]
        + (
            [(0, f"Registers {_n(counts['register_results'])}")]
            if "register_results" in counts
            else []
        )
        + [
            (1, f"{name} {_n(n)}")
            for name, n in counts.get("register_specific_results", {}).items()
        ],
        "duplicates": [
            (0, "Records removed before screening:"),
            (1, f"Duplicate records removed {_n(counts['duplicates'])}"),
            (
                1,
                "Records marked as ineligible by automation tools "
                f"{_n(counts['excluded_automatic'])}",
            ),
            (1, f"Records removed for other reasons {_n(counts['excluded_other'])}"),
        ],
        "records_screened": [(0, f"Records screened {_n(counts['records_screened'])}")],
        "records_excluded": [(0, f"Records excluded {_n(counts['records_excluded'])}")],
        **report_texts(counts, "dbr", _n),
        "new_studies": [
            (
                0,
                f"{'New studies' if update else 'Studies'} included in review "
                f"{_n(counts['new_studies'])}",
            ),
            (
                0,
                f"Reports of {'new ' if update else ''}included studies "
                f"{_n(counts['new_reports'])}",
            ),
        ],
    }
    if "other_specific_results" in counts:
        texts |= other_texts(counts, _n)
    if update:
        # The updated-review template's duplicates, split: copies of records an earlier
        # round screened (not screened again) and copies within the new search.
        texts["duplicates"][2:2] = [
            (2, f"of records screened before {_n(counts['duplicates_previous_round'])}"),
            (2, f"within this search {_n(counts['duplicates_within_round'])}"),
        ]
        if counts["new_reports_from_previous_rounds"]:
            texts["new_studies"].append(
                (
                    1,
                    "of which found by earlier searches "
                    f"{_n(counts['new_reports_from_previous_rounds'])}",
                )
            )
        withdrawn = sorted(
            counts["previous_reports_excluded"].items(), key=lambda item: (-item[1], item[0])
        )
        texts["previous_studies"] = [
            (0, f"Studies included in previous version of review {_n(counts['previous_studies'])}"),
            (
                0,
                "Reports of studies included in previous version of review "
                f"{_n(counts['previous_reports'])}",
            ),
        ] + (
            [(0, "Reports excluded in this update:")]
            + [(1, f"{reason} {_n(k)}") for reason, k in withdrawn]
            if withdrawn
            else []
        )
        texts["total_studies"] = [
            (0, f"Total studies included in review {_n(counts['total_studies'])}"),
            (0, f"Reports of total included studies {_n(counts['total_reports'])}"),
        ]
    return texts


def other_texts(counts: dict, _n) -> dict[str, list[tuple[int, str]]]:
    """The boxes of the other methods' column: each method's records, then its reports."""
    return {
        "website_results": [(0, "Records identified from:")]
        + [
            (1, f"{method[0].upper()}{method[1:]} {_n(k)}")
            for method, k in counts["other_specific_results"].items()
        ],
        **report_texts(counts, "other", _n),
    }


def report_texts(counts: dict, column: str, _n) -> dict[str, list[tuple[int, str]]]:
    """A column's report boxes (``column``: "dbr" or "other", the template's prefixes):
    sought, not retrieved, assessed, excluded with its reasons."""
    reasons = reasons_by_count(counts, f"{column}_excluded")
    return {
        f"{column}_sought_reports": [
            (0, f"Reports sought for retrieval {_n(counts[f'{column}_sought_reports'])}")
        ],
        f"{column}_notretrieved_reports": [
            (0, f"Reports not retrieved {_n(counts[f'{column}_notretrieved_reports'])}")
        ],
        f"{column}_assessed": [
            (0, f"Reports assessed for eligibility {_n(counts[f'{column}_assessed'])}")
        ],
        f"{column}_excluded": [(0, "Reports excluded:")]
        + [(1, f"{reason} {_n(k)}") for reason, k in reasons],
    }


def incomplete_note(counts: dict, separator: str = "") -> str:
    """What a review in progress still waits for, or "" once complete: the gaps in the
    PRISMA subtractions are the works pending at each stage (counts never guess them)."""
    if counts.get("complete", True):
        return ""
    removed = counts["duplicates"] + counts["excluded_automatic"] + counts["excluded_other"]
    other = {
        key: counts.get(key, 0)
        for key in (
            "other_duplicates",
            "other_not_sought",
            "other_sought_reports",
            "other_notretrieved_reports",
            "other_assessed",
        )
    }
    waiting = [
        (
            counts["database_results"]
            + counts.get("register_results", 0)
            - removed
            - counts["records_screened"]
            + sum(counts.get("other_specific_results", {}).values())
            - other["other_duplicates"]
            - other["other_not_sought"]
            - other["other_sought_reports"],
            "records await screening",
        ),
        (
            counts["dbr_sought_reports"]
            - counts["dbr_notretrieved_reports"]
            - counts["dbr_assessed"]
            + other["other_sought_reports"]
            - other["other_notretrieved_reports"]
            - other["other_assessed"],
            "reports await full-text facts",
        ),
    ]
    parts = [f"{format_count(n, separator)} {what}" for n, what in waiting if n] or [
        "works of earlier rounds await a decision"
    ]
    return "Incomplete: " + ", ".join(parts)


def flow_layout(counts: dict, databases: list[str], separator: str = "") -> Layout:
    """Place the boxes: side labels, [previous column], main column, right column.
    ``separator`` groups the digits of every number (format_count)."""
    texts = box_texts(counts, databases, separator)
    update = "previous_studies" in texts
    other = "website_results" in texts
    x_previous = MARGIN + SIDE_W + 12.0
    x_main = x_previous + (PREVIOUS_W + COLUMN_GAP if update else 0.0)
    x_right = x_main + MAIN_W + COLUMN_GAP
    x_other = x_right + RIGHT_W + COLUMN_GAP
    x_other_right = x_other + MAIN_W + COLUMN_GAP
    column = {
        "previous": (x_previous, PREVIOUS_W),
        "main": (x_main, MAIN_W),
        "right": (x_right, RIGHT_W),
        "other": (x_other, MAIN_W),
        "other_right": (x_other_right, RIGHT_W),
    }

    # The rows, top to bottom: main box first, then (box, column) pairs beside it. Other
    # methods have no screening row: their records go straight to reports sought.
    rows = [
        ["database_results", ("duplicates", "right")]
        + ([("previous_studies", "previous")] if update else [])
        + ([("website_results", "other")] if other else []),
        ["records_screened", ("records_excluded", "right")],
        ["dbr_sought_reports", ("dbr_notretrieved_reports", "right")]
        + (
            [("other_sought_reports", "other"), ("other_notretrieved_reports", "other_right")]
            if other
            else []
        ),
        ["dbr_assessed", ("dbr_excluded", "right")]
        + ([("other_assessed", "other"), ("other_excluded", "other_right")] if other else []),
        ["new_studies"] + ([("total_studies", "previous")] if update else []),
    ]
    # A row with a side label of its own must be tall enough for the label.
    min_height = {0: text_width("Identification") + 3 * PAD, 4: text_width("Included") + 3 * PAD}

    boxes, arrows, row_spans = [], [], []
    y = MARGIN
    header = f"Identification of {'new ' if update else ''}studies via databases and registers"
    boxes.append(
        Box("header", "header", x_main, y, x_right + RIGHT_W - x_main, HEADER_H, ((0, header),))
    )
    if other:
        boxes.append(
            Box(
                "other_header",
                "other_header",
                x_other,
                y,
                x_other_right + RIGHT_W - x_other,
                HEADER_H,
                ((0, f"Identification of {'new ' if update else ''}studies via other methods"),),
            )
        )
    if update:
        boxes.append(
            Box(
                "previous_header",
                "previous_header",
                x_previous,
                y,
                PREVIOUS_W,
                HEADER_H,
                ((0, "Previous studies"),),
            )
        )
    y += HEADER_H + ROW_GAP
    for row, (main, *beside) in enumerate(rows):
        placed = [(main, "main")] + beside
        wrapped = {key: wrap(texts[key], column[col][1] - 2 * PAD) for key, col in placed}
        row_h = max(
            [len(lines) * LINE_HEIGHT + 2 * PAD for lines in wrapped.values()]
            + [min_height.get(row, 0.0)]
        )
        centre = y + row_h / 2
        for key, col in placed:
            x, w = column[col]
            h = len(wrapped[key]) * LINE_HEIGHT + 2 * PAD
            boxes.append(Box(key, "box", x, centre - h / 2, w, h, wrapped[key]))
            # Horizontal arrows run from the main box to the box beside it.
            if col == "right":
                arrows.append(((x_main + MAIN_W, centre), (x_right, centre)))
            elif col == "other_right":
                arrows.append(((x_other + MAIN_W, centre), (x_other_right, centre)))
            elif key == "total_studies":
                arrows.append(((x_main, centre), (x_previous + PREVIOUS_W, centre)))
        row_spans.append((y, y + row_h))
        y += row_h + ROW_GAP
    by_key = {b.key: b for b in boxes}
    downward = [(rows[i][0], rows[i + 1][0], x_main + MAIN_W / 2) for i in range(len(rows) - 1)]
    if update:
        downward.append(("previous_studies", "total_studies", x_previous + PREVIOUS_W / 2))
    lines = []
    if other:
        x = x_other + MAIN_W / 2
        downward += [
            ("website_results", "other_sought_reports", x),
            ("other_sought_reports", "other_assessed", x),
        ]
        # The other methods' assessed reports join the included studies: down, then left.
        assessed, included = by_key["other_assessed"], by_key["new_studies"]
        turn = (x, included.y + included.h / 2)
        lines.append(((x, assessed.y + assessed.h), turn))
        arrows.append((turn, (x_main + MAIN_W, turn[1])))
    for upper, lower, x in downward:
        arrows.append(((x, by_key[upper].y + by_key[upper].h), (x, by_key[lower].y)))
    for label, first, last in (("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4)):
        top, bottom = row_spans[first][0], row_spans[last][1]
        boxes.append(Box(label.lower(), "side", MARGIN, top, SIDE_W, bottom - top, ((0, label),)))
    # A review in progress says so under the flow, so its diagram is not taken for the final one.
    if note := incomplete_note(counts, separator):
        boxes.append(
            Box("incomplete", "note", x_main, y, x_right + RIGHT_W - x_main, HEADER_H, ((0, note),))
        )
        y += HEADER_H + ROW_GAP
    width = (x_other_right if other else x_right) + RIGHT_W + MARGIN
    return Layout(width, y - ROW_GAP + MARGIN, tuple(boxes), tuple(arrows), tuple(lines))
