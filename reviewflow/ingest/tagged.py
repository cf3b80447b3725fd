"""Shared reading of line-tagged exports (MEDLINE, WoS plain text, Ovid tagged).

Each format has its own record boundaries; within a record they agree: a line
starts with a tag or continues the previous one.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError


def record_fields(
    lines: list[str],
    first_line: int,
    tag: re.Pattern,
    path: Path,
    separate: frozenset[str] = frozenset(),
) -> dict[str, list[str]]:
    """Map tag -> list of values for one record.

    ``first_line`` is the 1-based line number of ``lines[0]`` (for errors).
    ``tag`` must capture (tag, value). A line it does not match continues the
    previous value, joined by a space; for tags in ``separate`` each such line
    is a value of its own (WoS puts one author per continuation line).
    """
    out: dict[str, list[str]] = {}
    values: list[str] | None = None
    last = ""
    for offset, line in enumerate(lines):
        match = tag.match(line)
        if match:
            last = match.group(1)
            values = out.setdefault(last, [])
            values.append((match.group(2) or "").strip())
            continue
        text = line.strip()
        if not text:
            continue
        if values is None:
            raise ReviewflowError("untagged text where a record should start with a tag", str(path), first_line + offset)
        if last in separate:
            values.append(text)
        else:
            values[-1] = f"{values[-1]} {text}" if values[-1] else text
    return out


def first(record: dict[str, list[str]], *tags: str) -> str:
    """The first non-empty value among the tags, in the order given."""
    for name in tags:
        for value in record.get(name, ()):
            if value:
                return value
    return ""


def every(record: dict[str, list[str]], *tags: str) -> list[str]:
    return [value for name in tags for value in record.get(name, ()) if value]
