"""Web of Science plain-text tagged export (.txt, .ciw).

FN/VR header, records from "PT" to "ER", "EF" at the end; two-letter tags,
continuation lines indented three spaces. rispy's WoS parser raises on tags
it does not know (WoS adds new ones over the years), so this small reader
accepts any tag and keeps the ones it needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields
from reviewflow.ingest.tagged import (
    TagSyntax,
    every,
    first,
    line_marks,
    line_numbers,
    unclosed_record,
    warn_empty,
)

_WANTED = (
    "AF",
    "AU",
    "UT",
    "TI",
    "PY",
    "EA",
    "PD",
    "SO",
    "JI",
    "J9",
    "VL",
    "IS",
    "BP",
    "EP",
    "AR",
    "DI",
    "PM",
    "SN",
    "EI",
    "BN",
    "LA",
    "DT",
    "AB",
    "DE",
    "ID",
)
_SYNTAX = TagSyntax(r"[A-Z][A-Z0-9]", r" ", _WANTED)
# Record and file boundaries; continuation lines are indented, so these tags
# at the start of a line can only be boundaries.
_BOUNDARY = re.compile(r"\n(PT|ER|EF)(?: .*)?$", re.MULTILINE)  # (found by line_marks)
_HEADER = re.compile(r"(?:(?:FN|VR)(?: .*)?)?$")
# Tags whose continuation lines are separate values (one name per line).
_ONE_PER_LINE = frozenset({"AU", "AF"})
_FRAME = frozenset({"PT"})  # a record with nothing else is empty


def parse(text: str, path: Path) -> list[dict]:
    marks = line_marks(_BOUNDARY, text)
    lines = line_numbers(text, [mark.start for mark in marks])
    head = text[: marks[0].start] if marks else text
    for number, line in enumerate(head.split("\n"), start=1):
        if not _HEADER.match(line.strip()):
            raise ReviewflowError(
                f"unexpected line before the first record: {line[:40]!r}", str(path), number
            )
    rows = []
    empty = []  # first lines of records with nothing but PT
    start = None  # the open record's PT match
    previous_end = 0  # where the last closed record ended
    for mark, line in zip(marks, lines):
        tag = mark.tag
        if tag == "PT" and start is None:
            if rows:
                _nothing_between(text, previous_end, mark.start, path)
            start, start_line = mark, line
        elif tag == "ER" and start is not None:
            block = text[start.start : mark.start]
            record = _SYNTAX.record(block, path, start_line, _ONE_PER_LINE)
            if _SYNTAX.is_empty(record, block, _FRAME):
                empty.append(start_line)
            rows.append(_row(record))
            start, previous_end = None, mark.end
        elif tag == "EF" and start is None:
            rest = text[mark.end :]
            if rest.strip():
                raise ReviewflowError("text after the EF end-of-file line", str(path), line + 1)
            if rows:
                _nothing_between(text, previous_end, mark.start, path)
            warn_empty(path, empty, "PT and ER")
            return rows
        elif start is not None:
            raise ReviewflowError(
                f"record {len(rows) + 1} (from line {start_line}) has no ER line before this {tag}",
                str(path),
                line,
            )
        else:
            raise ReviewflowError(f"{tag} line outside a record", str(path), line)
    if start is not None:
        raise unclosed_record(text, path, len(rows) + 1, start_line)
    raise ReviewflowError(
        "no EF end-of-file line: the file looks truncated", str(path), text.count("\n") + 1
    )


def _nothing_between(text: str, start: int, end: int, path: Path) -> None:
    """Only blank lines may stand between ER and the next PT or EF."""
    gap = text[start:end]
    if gap.strip():
        stray = start + len(gap) - len(gap.lstrip())
        raise ReviewflowError(
            "text between records (after ER)", str(path), text.count("\n", 0, stray) + 1
        )


def _split(values: list[str]) -> list[str]:
    """WoS keyword fields are "; "-separated and wrapped over lines."""
    return [fields.clean(k) for v in values for k in v.split(";") if k.strip()]


def _row(record: dict[str, list[str]]) -> dict:
    # AF ("Levy, Yair") is the fullest form; AU ("Levy, Y") only without it.
    names = every(record, "AF") or every(record, "AU")
    return {
        "source_db": "Web of Science",
        "source_id": first(record, "UT"),
        "title": fields.clean(first(record, "TI")),
        "authors": fields.authors(names),
        "year": fields.year(first(record, "PY", "EA", "PD")),
        "journal": fields.clean(first(record, "SO")),
        "journal_abbrev": fields.clean(first(record, "JI", "J9")),
        "volume": fields.clean(first(record, "VL")),
        "issue": fields.clean(first(record, "IS")),
        **fields.page_fields(first(record, "BP"), first(record, "EP"), first(record, "AR")),
        "doi": fields.doi(first(record, "DI")),
        "pmid": fields.pmid(first(record, "PM")),
        "issn": fields.issn(every(record, "SN", "EI")),
        "isbn": fields.isbn(every(record, "BN")),
        "language": fields.language(_split(every(record, "LA"))),
        "publication_type": fields.publication_type(_split(every(record, "DT"))),
        "abstract": fields.clean(first(record, "AB")),
        "keywords": _split(every(record, "DE", "ID")),
        "notes": "",
    }
