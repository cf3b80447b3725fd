"""Covidence exports: one CSV or RIS file per list, consensus decisions only.

Covidence exports the references of one list at a time (its file names say
which: ``review_123_irrelevant_csv_20240101.csv``): ``screen`` (title/abstract
screening not finished), ``irrelevant`` (excluded at title/abstract),
``select`` (full-text review), ``excluded`` (excluded at full text, reason in
Notes as ``Exclusion reason: ...;``) and ``included``. The list a record is in
is the decision; Covidence exports no individual votes, so the voter is the
review team's consensus ("Covidence" unless a reviewer name is given).
Columns: Title, Authors, Abstract, Published Year, Journal, Volume, Issue,
Pages, Accession Number, DOI, Ref, Covidence #, Study, Notes, Tags.
"""

from __future__ import annotations

import re
from pathlib import Path

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

LISTS = ("screen", "irrelevant", "select", "excluded", "included")
_LIST_IN_NAME = re.compile(
    r"(?:^|[_\-. ])(screen|irrelevant|select|excluded|included)(?=[_\-. ]|$)", re.IGNORECASE
)
_REASON = re.compile(r"Exclusion reason:\s*([^;]*);?", re.IGNORECASE)

# What being in a list means for each stage; None = no vote at that stage.
_VOTE = {
    "title_abstract": {
        "screen": None,
        "irrelevant": "exclude",
        "select": "include",
        "excluded": "include",
        "included": "include",
    },
    "full_text": {
        "screen": None,
        "irrelevant": None,
        "select": None,
        "excluded": "exclude",
        "included": "include",
    },
}


def list_of(path, given: str | None = None) -> str:
    if given:
        if given not in LISTS:
            raise ReviewflowError(
                f"unknown Covidence list {given!r} (one of {', '.join(LISTS)})", str(path)
            )
        return given
    found = {m.lower() for m in _LIST_IN_NAME.findall(Path(path).name)}
    if len(found) != 1:
        raise ReviewflowError(
            "cannot tell which Covidence list this export is from its name; give it "
            f"(one of {', '.join(LISTS)})",
            str(path),
        )
    return found.pop()


def reasons_in(notes: str) -> str:
    return "; ".join(r.strip() for r in _REASON.findall(notes or "") if r.strip())


def read(
    path, stage: str, reviewer: str | None = None, covidence_list: str | None = None, **_options
) -> ToolExport:
    vote = _VOTE[stage][list_of(path, covidence_list)]
    voter = reviewer or "Covidence"
    records, votes = [], []
    for record, notes in _table_records(path) if is_table(path) else _ris_records(path):
        records.append(record)
        if vote:
            reason = reasons_in(notes) if vote == "exclude" else ""
            votes.append(
                {"record": record["record"], "reviewer": voter, "vote": vote, "reason": reason}
            )
    return make_export(path, records, votes)


def _table_records(path):
    """(record, its Notes) per row."""
    frame = read_table(path)
    cols = [
        column(frame, *names)
        for names in (
            ("Covidence #",),
            ("DOI",),
            ("Accession Number",),
            ("Title",),
            ("Published Year", "Year"),
            ("Notes",),
        )
    ]
    bib = bib_columns(frame)
    for row, values in enumerate(rows(frame)):
        number, doi, accession, title, year, notes = (c[row] for c in cols)
        record = record_row(
            row + 1,
            f"{path}: row {row + 1}",
            number,
            values,
            doi=doi,
            pmid=accession,
            title=title,
            year=year,
            **bib[row],
        )
        yield record, notes


def _ris_records(path):
    for index, (line, tags) in enumerate(tagged_records(path), start=1):
        record = ris_record(index, f"{path}:{line}", tags, first(tags, "ID"), first(tags, "AN"))
        yield record, "; ".join(tags.get("N1", []))
