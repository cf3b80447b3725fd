"""Shared reading of line-tagged exports (MEDLINE, WoS plain text, Ovid tagged, RIS).

Each format has its own record boundaries; within a record they agree: a line
starts with a tag or continues the previous one. The work is done with
regular expressions over whole records rather than a Python loop per line,
so that 100,000 records read in seconds.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import NamedTuple

from reviewflow.errors import ReviewflowError

log = logging.getLogger(__name__)

# Joins the lines of one value. read_text refuses control characters, so
# this one cannot occur in the data itself.
SEP = "\x1f"


class TagSyntax:
    """How one format writes a tagged line: a tag pattern and what follows it.

    ``wanted`` lists the tags a parser uses; lines of other tags are skipped
    by the regular expression engine instead of being collected (WoS cited
    references alone are hundreds of lines per record). ``bare``: a tag may
    stand alone on its line (WoS "ER"); where it may not (RIS, whose tag is
    always followed by "  - "), a line "II" continues the value above it.
    """

    def __init__(
        self, tag: str, separator: str, wanted: tuple[str, ...] | None = None, bare: bool = True
    ):
        value = rf"(?:{separator}(.*))?" if bare else rf"{separator}(.*)"
        self.any_line = re.compile(rf"^({tag}){value}$", re.MULTILINE)
        names = "|".join(sorted(wanted, key=len, reverse=True)) if wanted else tag
        self.line = re.compile(rf"^({names}){value}$", re.MULTILINE)
        # A line break (with any blank lines after it) before a line that is
        # not a tag line: that line continues the value above it.
        ends = f"{separator}|$" if bare else separator
        self.continuation = re.compile(
            rf"\n(?:[ \t]*\n)*(?!(?:{tag})(?:{ends}))[ \t]*(?=\S)", re.MULTILINE
        )

    def is_empty(
        self, record: dict[str, list[str]], block: str, frame: frozenset[str] = frozenset()
    ) -> bool:
        """Whether a record holds no value but in its ``frame`` tags (those that only
        open or type a record: RIS TY, WoS PT). ``record`` is what ``record`` read from
        ``block``; the tags it skipped are looked at only when it holds nothing."""
        if any(value for tag, values in record.items() if tag not in frame for value in values):
            return False
        return not any(
            value.strip()
            for tag, value in self.any_line.findall(self.fold(block))
            if tag not in frame
        )

    def fold(self, block: str) -> str:
        """Each tagged line with its continuation lines on one line, joined by SEP."""
        return self.continuation.sub(SEP, block)

    def record(
        self, block: str, path: Path, line: int, separate: frozenset[str] = frozenset()
    ) -> dict[str, list[str]]:
        """Map tag -> list of values for one record's text.

        ``line`` is the line number of the block's first line (for errors).
        Continuation lines are joined to their value by a space, except for
        tags in ``separate``, whose continuation lines are values of their
        own (WoS writes one author per line).
        """
        folded = self.fold(block.strip("\n"))
        if folded and not self.any_line.match(folded):
            raise ReviewflowError(
                "untagged text where a record should start with a tag", str(path), line
            )
        out: dict[str, list[str]] = {}
        for tag, value in self.line.findall(folded):
            if SEP in value:
                parts = [p.strip() for p in value.split(SEP)]
                if tag in separate:
                    out.setdefault(tag, []).extend(p for p in parts if p)
                    continue
                value = " ".join(p for p in parts if p)
            out.setdefault(tag, []).append(value.strip())
        return out


def unclosed_record(text: str, path: Path, number: int, start_line: int) -> ReviewflowError:
    """The error for a last record with no ER line (RIS and WoS end records the same way)."""
    return ReviewflowError(
        f"record {number} (from line {start_line}) has no ER line: the file looks truncated",
        str(path),
        text.count("\n", 0, len(text.rstrip())) + 1,
    )


class Mark(NamedTuple):
    """A line that opens or closes a record: where it starts and ends in the text, its tag."""

    start: int
    end: int
    tag: str


def line_marks(pattern: re.Pattern, text: str) -> list[Mark]:
    """Every line of ``text`` that starts with what ``pattern`` matches after its leading
    "\n"; the tag is the pattern's first group ("" without one).

    The pattern is searched in "\n" + ``text``: a literal line break lets the regular
    expression engine skip from line break to line break, where "^" would be tried at every
    character of the file (abstracts are thousands of them). Each match then starts where its
    line starts in the text."""
    tagged = pattern.groups > 0
    return [
        Mark(m.start(), m.end() - 1, m.group(1) if tagged else "")
        for m in pattern.finditer("\n" + text)
    ]


def line_numbers(text: str, offsets: list[int]) -> list[int]:
    """1-based line number of each (ascending) character offset."""
    numbers, line, previous = [], 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        numbers.append(line)
        previous = offset
    return numbers


def first(record: dict[str, list[str]], *tags: str) -> str:
    """The first non-empty value among the tags, in the order given."""
    for name in tags:
        for value in record.get(name, ()):
            if value:
                return value
    return ""


def every(record: dict[str, list[str]], *tags: str) -> list[str]:
    return [value for name in tags for value in record.get(name, ()) if value]


def warn_empty(path: Path, lines: list[int], frame: str) -> None:
    """Report a file's empty records (nothing but ``frame``, e.g. RIS "TY and ER").

    They stay in the record table: the database exported them, so PRISMA
    counts them as identified. But a record without title or identifier is
    more often an exporter's fault than a study, so the reviewer is told where.
    """
    if not lines:
        return
    shown = ", ".join(str(line) for line in lines[:20]) + (
        f" and {len(lines) - 20} more" if len(lines) > 20 else ""
    )
    log.warning(
        "%s: %d empty record%s (nothing but %s), counted as identified; at line%s %s",
        path,
        len(lines),
        "" if len(lines) == 1 else "s",
        frame,
        "" if len(lines) == 1 else "s",
        shown,
    )


def each_distinct(function, values: list) -> list:
    """``[function(v) for v in values]``, calling it once per distinct value.

    A search's records repeat most field values (journals, years, types, the
    same authors across databases), so a column is normalised in the time
    its distinct values take.
    """
    done = {value: function(value) for value in set(values)}
    return [done[value] for value in values]
