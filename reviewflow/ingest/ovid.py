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
from reviewflow.ingest.tagged import TagSyntax, every, first, line_marks, line_numbers, warn_empty

_START = re.compile(r"\n<\s*\d+\.\s*>[ \t]*$", re.MULTILINE)  # (found by line_marks)
_SYNTAX = TagSyntax(r"[A-Z][A-Z0-9]", r"  - ?")
# "Journal. 45 (3) (pp 123-130), 2018." or "... 12 (Supplement 3) (no pagination), 2018."
_SOURCE = re.compile(
    r"^(?P<journal>.+?)\.\s(?:.*?\s)?(?P<volume>[\w.-]+)\s*(?:\((?P<issue>[^)]*)\)\s*)?"
    r"\((?:pp\s*)?(?P<pages>[^)]*)\),\s*(?P<year>\d{4})"
)


def parse(text: str, path: Path) -> list[dict]:
    # Detection saw "<N. >" on the first non-blank line.
    matches = line_marks(_START, text)
    starts = [match.start for match in matches]
    ends = starts[1:] + [len(text)]
    rows = []
    empty = []  # lines of "<N. >" headers with no value after them
    for n, (match, end, line) in enumerate(zip(matches, ends, line_numbers(text, starts)), start=1):
        record = _SYNTAX.record(text[match.end : end], path, line + 1)
        # Records have no end line: only the last one, cut off after its
        # header, is a sign of truncation; one in the middle is empty.
        if not record and n == len(matches):
            raise ReviewflowError(
                f"record {n} has no fields: the file looks truncated", str(path), line
            )
        if _SYNTAX.is_empty(record, text[match.end : end]):
            empty.append(line)
        if len(record.get("UI", ())) > 1:  # a lost "<N. >" line ran two records together
            raise ReviewflowError(
                f"record {n} (from line {line}) holds two UI lines", str(path), line
            )
        rows.append(_row(record))
    warn_empty(path, empty, "its <N. > line")
    return rows


def _row(record: dict[str, list[str]]) -> dict:
    source = fields.clean(first(record, "SO"))
    parts = _SOURCE.match(source)

    def part(name: str) -> str:
        return (parts.group(name) or "") if parts else ""

    database = fields.clean(first(record, "DB"))
    # Ovid names its databases "Embase", "Ovid MEDLINE(R) ALL", "APA PsycInfo"...;
    # in Ovid MEDLINE the UI is the PMID.
    medline = "medline" in database.lower()
    accession = first(record, "UI", "AN")
    return {
        "source_db": "MEDLINE"
        if medline
        else "Embase"
        if database.lower().startswith("embase")
        else database,
        "source_id": accession,
        "title": fields.clean(first(record, "TI")),
        "authors": fields.authors(every(record, "AU")),
        "year": fields.year(first(record, "YR", "DP")) or fields.year(part("year")),
        "journal": fields.clean(first(record, "JN", "JT"))
        or fields.clean(source.split(". ")[0]).rstrip("."),
        "journal_abbrev": fields.clean(first(record, "JA", "TA")),
        "volume": fields.clean(first(record, "VO", "VI")) or part("volume"),
        "issue": fields.clean(first(record, "IP")) or part("issue"),
        **fields.page_fields(first(record, "PG") or part("pages")),
        "doi": fields.doi(first(record, "DO")),
        "pmid": fields.pmid(accession if medline else first(record, "PM")),
        "issn": fields.issn(every(record, "IS")),
        "isbn": fields.isbn(every(record, "IB")),
        "language": fields.language(first(record, "LG", "LA")),
        "publication_type": fields.publication_type(every(record, "PT")),
        "abstract": fields.clean(first(record, "AB")),
        "keywords": [fields.clean(k) for k in every(record, "MH", "KW")],
        "notes": "",
    }
