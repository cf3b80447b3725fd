"""Web of Science plain-text tagged export (.txt, .ciw).

FN/VR header, records from "PT" to "ER", "EF" at the end; two-letter tags,
continuation lines indented three spaces. rispy's WoS parser raises on tags
it does not know (WoS adds new ones over the years), so this small reader
takes every tag and uses the ones it needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields
from reviewflow.ingest.tagged import every, first, record_fields

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
# Tags whose continuation lines are separate values (one name per line).
_ONE_PER_LINE = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "CR", "C1", "C3", "RP"})
_HEADER = ("FN", "VR")


def parse(text: str, path: Path) -> list[dict]:
    lines = text.split("\n")
    rows = []
    start = None
    ended = False
    for i, line in enumerate(lines):
        tag = line[:2] if line[2:3] in (" ", "") else ""
        if start is None:
            if tag == "PT":
                start = i
            elif tag == "EF":
                ended = True
                rest = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
                if rest is not None:
                    raise ReviewflowError("text after the EF end-of-file line", str(path), rest + 1)
                break
            elif line.strip() and not (tag in _HEADER and not rows):
                raise ReviewflowError(f"unexpected line outside a record: {line[:40]!r}", str(path), i + 1)
        elif tag == "ER":
            record = record_fields(lines[start:i], start + 1, _TAG, path, _ONE_PER_LINE)
            rows.append(_row(record))
            start = None
        elif tag == "PT":
            raise ReviewflowError(f"record from line {start + 1} has no ER line before the next PT", str(path), i + 1)
    if start is not None:
        raise ReviewflowError(
            f"record {len(rows) + 1} (from line {start + 1}) has no ER line: the file looks truncated",
            str(path),
            len(lines),
        )
    if not ended:
        raise ReviewflowError("no EF end-of-file line: the file looks truncated", str(path), len(lines))
    return rows


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
        "pmid": first(record, "PM"),
        "issn": fields.issn(every(record, "SN", "EI")),
        "isbn": fields.isbn(every(record, "BN")),
        "language": fields.language(_split(every(record, "LA"))),
        "publication_type": fields.publication_type(_split(every(record, "DT"))),
        "abstract": fields.clean(first(record, "AB")),
        "keywords": _split(every(record, "DE", "ID")),
        "notes": "",
    }
