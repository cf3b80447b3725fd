"""ASReview LAB exports (CSV, TSV, XLSX or RIS) of one reviewer's project.

Tabular exports keep the imported columns and add ``asreview_label`` (1
relevant, 0 irrelevant, empty not seen; older versions: ``included``, with -1
for not seen), ``asreview_ranking``, and in 2.x ``asreview_time`` and
``asreview_note``. The RIS export writes the label as an N1 note
``ASReview_relevant`` / ``ASReview_irrelevant`` / ``ASReview_not_seen`` and every other
``asreview_*`` column as a note ``asreview_note: "<JSON text>"``.

Labels are read as ASReview's own readers read them (asreview 3.0.8,
asreview/data/base.py and ris.py): the first of its label columns present, values 1/0,
yes/no, y/n (empty: not seen); in RIS the first note that contains a label anywhere
(inside other text, or in Zotero's ``<p>...</p>``).
An ASReview project is one reviewer's screening, so the voter is the name given
(default: the file's name without extension).
"""

from __future__ import annotations

import json
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

# ASReview's label columns, in the order it picks the first present.
_LABEL_COLUMNS = (
    "asreview_label",
    "included",
    "label",
    "final_included",
    "label_included",
    "included_label",
    "included_final",
    "included_flag",
    "include",
)
_LABELS = {
    "1": "include",
    "1.0": "include",
    "yes": "include",
    "y": "include",
    "0": "exclude",
    "0.0": "exclude",
    "no": "exclude",
    "n": "exclude",
    "": None,
    "-1": None,
    "-1.0": None,
}  # -1: "not seen" in ASReview 0.x exports
_RIS_LABELS = {
    "ASReview_relevant": "include",
    "ASReview_irrelevant": "exclude",
    "ASReview_not_seen": None,
}
_NOTE = "asreview_note:"


def ris_label(notes: list[str]) -> str | None:
    """The vote of the first note that holds an ASReview label anywhere in its text."""
    for note in notes:
        for label, vote in _RIS_LABELS.items():
            if label in note:
                return vote
    return None


def ris_reason(notes: list[str]) -> str:
    """The ``asreview_note: "..."`` note's text (JSON, as ASReview writes it)."""
    for note in notes:
        if note.strip().startswith(_NOTE):
            value = note.strip()[len(_NOTE) :].strip()
            try:
                value = json.loads(value)
            except ValueError:
                pass  # not JSON: the note as written
            return "" if value is None else str(value).strip()
    return ""


def read(path, reviewer: str | None = None, **_options) -> ToolExport:
    voter = reviewer or Path(path).stem
    if is_table(path):
        return _read_table(path, voter)
    records, votes = [], []
    for index, (line, tags) in enumerate(tagged_records(path), start=1):
        location = f"{path}:{line}"
        notes = tags.get("N1", [])
        records.append(ris_record(index, location, tags, first(tags, "ID"), first(tags, "AN")))
        vote = ris_label(notes)
        if vote:
            votes.append(
                {
                    "record": index,
                    "reviewer": voter,
                    "vote": vote,
                    "reason": ris_reason(notes) if vote == "exclude" else "",
                }
            )
    return make_export(path, records, votes)


def _read_table(path, voter: str) -> ToolExport:
    frame = read_table(path)
    present = [c for c in _LABEL_COLUMNS if c in {x.strip().lower() for x in frame.columns}]
    if not present:
        raise ReviewflowError(
            f"no label column ({', '.join(_LABEL_COLUMNS)}): not an ASReview export", str(path)
        )
    label = column(frame, present[0])
    tool_id, doi, title = (
        column(frame, "record_id"),
        column(frame, "doi"),
        column(frame, "title", "primary_title"),
    )
    pmid, year, note = (
        column(frame, "pmid", "pubmed_id", "accession_number"),
        column(frame, "year"),
        column(frame, "asreview_note"),
    )
    bib = bib_columns(frame)
    records, votes = [], []
    for row, values in enumerate(rows(frame)):
        index, location = row + 1, f"{path}: row {row + 1}"
        records.append(
            record_row(
                index,
                location,
                tool_id[row],
                values,
                doi=doi[row],
                pmid=pmid[row],
                title=title[row],
                year=year[row],
                **bib[row],
            )
        )
        text = label[row].strip().lower()
        if text not in _LABELS:
            raise ReviewflowError(
                f"{present[0]} {label[row]!r} is not 1, 0, yes, no or empty ({location})"
            )
        vote = _LABELS[text]
        if vote:
            votes.append(
                {
                    "record": index,
                    "reviewer": voter,
                    "vote": vote,
                    "reason": note[row].strip() if vote == "exclude" else "",
                }
            )
    return make_export(path, records, votes)
