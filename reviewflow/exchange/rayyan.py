"""Rayyan exports (RIS or CSV): votes live in the notes.

Rayyan writes its screening state into the RIS ``N1`` tag or the CSV ``notes``
column as `` | ``-separated sections, e.g.
`` RAYYAN-INCLUSION: {"Ana"=>"Included", "Bo"=>"Excluded"} | RAYYAN-LABELS: a,b |
RAYYAN-EXCLUSION-REASONS: wrong drug,wrong population``. Quirks handled: a
leading space; the INCLUSION section is absent when nobody screened the record;
votes are per reviewer (no consensus); "Maybe" votes; exclusion reasons are per
record (not per reviewer) and, in newer projects, also appear as labels
prefixed ``__EXR__``; user notes may precede the sections as HTML paragraphs.
"""

from __future__ import annotations

import re

from reviewflow.errors import ReviewflowError
from reviewflow.exchange.votes import (
    ToolExport,
    bib_columns,
    column,
    is_table,
    make_export,
    read_table,
    record_row,
    ris_record,
    rows,
)
from reviewflow.ingest.ris import tagged_records
from reviewflow.ingest.tagged import first

_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*")
_VOTE_TEXT = r'"((?:[^"\\]|\\.)*)"\s*=>\s*"([^"]*)"'
_VOTE = re.compile(_VOTE_TEXT)
# The whole map, so that a damaged one (a lost quote, comma or brace) is refused
# rather than read in part: a vote dropped silently turns a conflict into a decision.
_INCLUSION_MAP = re.compile(rf"\{{\s*(?:{_VOTE_TEXT}(?:\s*,\s*{_VOTE_TEXT})*)?\s*\}}\s*")
_SECTION = re.compile(r"RAYYAN-(LABELS|EXCLUSION-REASONS):\s*(.*)")
_VOTE_WORDS = {"included": "include", "excluded": "exclude", "maybe": "maybe", "undecided": "maybe"}
_REASON_LABEL = "__EXR__"


def parse_notes(notes: str) -> tuple[dict[str, str], list[str], list[str]]:
    """(votes by reviewer, labels, exclusion reasons) from one record's notes."""
    votes: dict[str, str] = {}
    labels: list[str] = []
    reasons: list[str] = []
    for section in str(notes or "").split(" | "):
        inclusion = _INCLUSION.search(section)
        if inclusion:
            text = section[inclusion.end() :]
            if not _INCLUSION_MAP.fullmatch(text):
                raise ValueError(
                    f"cannot read the RAYYAN-INCLUSION map {text.strip()!r} "
                    '(Rayyan writes {"Name"=>"Included", "Name"=>"Excluded"}): '
                    "the votes would be lost"
                )
            for name, word in _VOTE.findall(text):
                vote = _VOTE_WORDS.get(word.strip().lower())
                if vote is None:
                    raise ValueError(f"unknown Rayyan decision {word!r}")
                votes[name.replace('\\"', '"')] = vote
            continue
        other = _SECTION.search(section)
        if other:
            items = [i.strip() for i in other.group(2).split(",") if i.strip()]
            if other.group(1) == "LABELS":
                for item in items:
                    (reasons if item.startswith(_REASON_LABEL) else labels).append(
                        item.removeprefix(_REASON_LABEL)
                    )
            else:
                reasons.extend(items)
    return votes, labels, sorted(set(reasons), key=str.casefold)


def _votes(index: int, notes: str, location: str) -> list[dict]:
    try:
        votes, _labels, reasons = parse_notes(notes)
    except ValueError as exc:
        raise ReviewflowError(f"{location}: record {index}: {exc}") from None
    return [
        {
            "record": index,
            "reviewer": name,
            "vote": vote,
            "reason": "; ".join(reasons) if vote == "exclude" else "",
        }
        for name, vote in sorted(votes.items())
    ]


def read(path, **_options) -> ToolExport:
    if is_table(path):
        return _read_table(path)
    records, votes = [], []
    for index, (line, tags) in enumerate(tagged_records(path), start=1):
        location = f"{path}:{line}"
        notes = " | ".join(n.strip() for n in tags.get("N1", []))
        # Rayyan writes its own number as AN ("rayyan-123"); its RIS has no PMID tag.
        records.append(ris_record(index, location, tags, first(tags, "AN", "ID")))
        votes.extend(_votes(index, notes, location))
    return make_export(path, records, votes)


def _read_table(path) -> ToolExport:
    frame = read_table(path)
    notes, key, doi = column(frame, "notes"), column(frame, "key"), column(frame, "doi")
    pmid, title, year = (
        column(frame, "pubmed_id", "pmid"),
        column(frame, "title"),
        column(frame, "year"),
    )
    bib = bib_columns(frame)
    records, votes = [], []
    for row, values in enumerate(rows(frame)):
        index, location = row + 1, f"{path}: row {row + 1}"
        records.append(
            record_row(
                index,
                location,
                key[row],
                values,
                doi=doi[row],
                pmid=pmid[row],
                title=title[row],
                year=year[row],
                **bib[row],
            )
        )
        votes.extend(_votes(index, notes[row], location))
    return make_export(path, records, votes)
