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
from reviewflow.exchange.votes import ToolExport, column, make_export, read_ris, read_table, record_row, rows

LISTS = ("screen", "irrelevant", "select", "excluded", "included")
_LIST_IN_NAME = re.compile(r"(?:^|[_\-. ])(screen|irrelevant|select|excluded|included)(?=[_\-. ]|$)", re.IGNORECASE)
_REASON = re.compile(r"Exclusion reason:\s*([^;]*);?", re.IGNORECASE)

# What being in a list means for each stage; None = no vote at that stage.
_VOTE = {
    "title_abstract": {"screen": None, "irrelevant": "exclude", "select": "include", "excluded": "include",
                       "included": "include"},
    "full_text": {"screen": None, "irrelevant": None, "select": None, "excluded": "exclude", "included": "include"},
}


def list_of(path, given: str | None = None) -> str:
    if given:
        if given not in LISTS:
            raise ReviewflowError(f"unknown Covidence list {given!r} (one of {', '.join(LISTS)})", str(path))
        return given
    found = {m.lower() for m in _LIST_IN_NAME.findall(Path(path).name)}
    if len(found) != 1:
        raise ReviewflowError(
            "cannot tell which Covidence list this export is from its name; give it "
            f"(one of {', '.join(LISTS)})", str(path)
        )
    return found.pop()


def reasons_in(notes: str) -> str:
    return "; ".join(r.strip() for r in _REASON.findall(notes or "") if r.strip())


def read(path, stage: str, reviewer: str | None = None, covidence_list: str | None = None, **_options) -> ToolExport:
    which = list_of(path, covidence_list)
    vote = _VOTE[stage][which]
    voter = reviewer or "Covidence"
    if str(path).lower().endswith((".csv", ".xlsx")):
        rows = _table_rows(path)
    else:
        rows = _ris_rows(path)
    records, votes = [], []
    for index, (location, tool_id, values, doi, pmid, title, year, notes) in enumerate(rows, start=1):
        records.append(record_row(index, location, tool_id, values, doi=doi, pmid=pmid, title=title, year=year))
        if vote:
            reason = reasons_in(notes) if vote == "exclude" else ""
            votes.append({"record": index, "reviewer": voter, "vote": vote, "reason": reason})
    return make_export(path, records, votes)


def _table_rows(path):
    frame = read_table(path)
    cols = [column(frame, *names) for names in (
        ("Covidence #",), ("DOI",), ("Accession Number",), ("Title",), ("Published Year", "Year"), ("Notes",),
    )]
    for row, values in enumerate(rows(frame)):
        number, doi, accession, title, year, notes = (c[row] for c in cols)
        yield f"{path}: row {row + 1}", number, values, doi, accession, title, year, notes


def _ris_rows(path):
    for line, entry in read_ris(path):
        notes = "; ".join(entry.get("notes", []))
        yield (f"{path}:{line}", entry.get("id", ""), list(entry.values()), entry.get("doi", ""),
               entry.get("accession_number", ""), entry.get("title") or entry.get("primary_title", ""),
               entry.get("year") or entry.get("publication_year", ""), notes)
