"""Ovid tagged exports (Embase and other Ovid databases; "Citavi" .ovd and
"EndNote" .cgi export formats, which differ only in how AB wraps).

Records start with a "<N. >" line; fields are "TG  - value"; continuation
lines are indented six spaces or (EndNote format) not indented at all.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields
from reviewflow.ingest.tagged import every, first, record_fields

_START = re.compile(r"^<\s*(\d+)\.\s*>\s*$")
_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
# "Journal. 45 (3) (pp 123-130), 2018." or "... 12 (Supplement 3) (no pagination), 2018."
_SOURCE = re.compile(
    r"^(?P<journal>.+?)\.\s(?:.*?\s)?(?P<volume>[\w.-]+)\s*(?:\((?P<issue>[^)]*)\)\s*)?"
    r"\((?:pp\s*)?(?P<pages>[^)]*)\),\s*(?P<year>\d{4})"
)


def parse(text: str, path: Path) -> list[dict]:
    lines = text.split("\n")
    # Detection saw "<N. >" on the first non-blank line.
    starts = [i for i, line in enumerate(lines) if _START.match(line)]
    rows = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        record = record_fields(lines[start + 1 : end], start + 2, _TAG, path)
        if not record:
            raise ReviewflowError(f"record {n + 1} has no fields: the file looks truncated", str(path), start + 1)
        rows.append(_row(record))
    return rows


def _row(record: dict[str, list[str]]) -> dict:
    source = fields.clean(first(record, "SO"))
    parts = _SOURCE.match(source)
    part = (lambda name: (parts.group(name) or "") if parts else "")
    database = fields.clean(first(record, "DB"))
    return {
        "source_db": "Embase" if database.lower().startswith("embase") else database,
        "source_id": first(record, "UI", "AN"),
        "title": fields.clean(first(record, "TI")),
        "authors": fields.authors(every(record, "AU")),
        "year": fields.year(first(record, "YR", "DP")) or fields.year(part("year")),
        "journal": fields.clean(first(record, "JN", "JT")) or fields.clean(source.split(". ")[0]).rstrip("."),
        "journal_abbrev": fields.clean(first(record, "JA", "TA")),
        "volume": fields.clean(first(record, "VO", "VI")) or part("volume"),
        "issue": fields.clean(first(record, "IP")) or part("issue"),
        **fields.page_fields(first(record, "PG") or part("pages")),
        "doi": fields.doi(first(record, "DO")),
        "pmid": first(record, "PM"),
        "issn": fields.issn(every(record, "IS")),
        "isbn": fields.isbn(every(record, "IB")),
        "language": fields.language(first(record, "LG", "LA")),
        "publication_type": fields.publication_type(every(record, "PT")),
        "abstract": fields.clean(first(record, "AB")),
        "keywords": [fields.clean(k) for k in every(record, "MH", "KW")],
        "notes": "",
    }
