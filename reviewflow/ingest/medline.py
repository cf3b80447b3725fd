"""PubMed / MEDLINE tagged format (.nbib, .txt): "PMID- " records.

Written here rather than with the ``nbib`` package: nbib drops the last
record when the file has no trailing newline and fails on a byte-order mark,
and the format is simple: a 4-character tag padded with spaces and "- ",
continuation lines indented six spaces, repeated tags for lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields, trial_ids
from reviewflow.ingest.tagged import TagSyntax, every, first, line_marks, line_numbers, warn_empty

_WANTED = (
    "PMID",
    "TI",
    "BTI",
    "FAU",
    "AU",
    "DP",
    "JT",
    "TA",
    "VI",
    "IP",
    "PG",
    "LID",
    "AID",
    "IS",
    "ISBN",
    "LA",
    "PT",
    "AB",
    "OT",
    "MH",
    "SO",
    "SI",
)
_SYNTAX = TagSyntax(r"[A-Z][A-Z0-9]{1,3}", r" *- ?", _WANTED)
_START = re.compile(r"\nPMID- ")  # (found by line_marks)
_DOI = re.compile(r"^(.*?)\s*\[doi\]\s*$", re.IGNORECASE)


def parse(text: str, path: Path) -> list[dict]:
    """Every record needs its PMID, the one element the format starts every record with.
    PubMed's MEDLINE display also ends every record with SO (the citation), so in a file
    whose records carry SO each record must have it: without it the record was cut off
    (the last one: the file is truncated) or damaged. A file without SO lines at all
    (PMID-only records, or a tool's shorter MEDLINE output) is read as it is."""
    # Detection saw "PMID- " on the first non-blank line, so there is a first
    # record and nothing but blank lines before it.
    starts = [mark.start for mark in line_marks(_START, text)]
    ends = starts[1:] + [len(text)]
    records = []
    empty = []  # first lines of records with no value at all, not even a PMID
    for n, (start, end, line) in enumerate(zip(starts, ends, line_numbers(text, starts)), start=1):
        record = _SYNTAX.record(text[start:end], path, line)
        if _SYNTAX.is_empty(record, text[start:end]):
            empty.append(line)  # counted, as exported, and reported; nothing else to check
            records.append((n, line, record))
            continue
        # One PMID and one SO per record: more means a damaged "PMID- " line
        # ran two records together.
        if len(record.get("PMID", ())) > 1 or len(record.get("SO", ())) > 1:
            raise ReviewflowError(
                f"record {n} (from line {line}) holds two records' PMID/SO lines", str(path), line
            )
        if not first(record, "PMID").isdigit():
            raise ReviewflowError(
                f"record {n} has no PubMed ID (a PMID line of digits)", str(path), line
            )
        records.append((n, line, record))
    if any("SO" in record for _, _, record in records):
        for n, line, record in records:
            if "SO" in record or line in empty:
                continue
            if n == len(records):
                raise ReviewflowError(
                    f"record {n} (from line {line}) has no SO line: the file looks truncated",
                    str(path),
                    text.count("\n", 0, len(text.rstrip())) + 1,
                )
            raise ReviewflowError(
                f"record {n} (from line {line}) has no SO line, which PubMed writes in every "
                "record and the file's other records have: the record is damaged",
                str(path),
                line,
            )
    warn_empty(path, empty, "an empty PMID line")
    return [_row(record) for _, _, record in records]


def _row(record: dict[str, list[str]]) -> dict:
    dois = [m.group(1) for v in every(record, "LID", "AID") if (m := _DOI.match(v))]
    pmid = first(record, "PMID")
    return {
        "source_db": "MEDLINE",
        "source_id": pmid,
        "title": fields.clean(first(record, "TI", "BTI")),
        # FAU ("Levy, Yair") is the fullest form; AU ("Levy Y") only without it.
        "authors": fields.authors(every(record, "FAU") or every(record, "AU")),
        "year": fields.year(first(record, "DP")),
        "journal": fields.clean(first(record, "JT")),
        "journal_abbrev": fields.clean(first(record, "TA")),
        "volume": fields.clean(first(record, "VI")),
        "issue": fields.clean(first(record, "IP")),
        **fields.page_fields(first(record, "PG")),
        "doi": fields.doi(dois[0]) if dois else "",
        "pmid": fields.pmid(pmid),
        # Print and linking ISSN first, as other databases list them.
        "issn": fields.issn(sorted(every(record, "IS"), key=lambda v: "(Electronic)" in v)),
        "isbn": fields.isbn(every(record, "ISBN")),
        "language": fields.language(first(record, "LA")),
        "publication_type": fields.publication_type(every(record, "PT")),
        "abstract": fields.clean(first(record, "AB")),
        "keywords": [fields.clean(k) for k in every(record, "OT", "MH")],
        "notes": "",
        # SI: secondary source IDs, trial registrations among them
        # ("ClinicalTrials.gov/NCT00000000").
        "register_ids": trial_ids.find(*every(record, "SI")),
    }
