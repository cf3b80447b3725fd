"""ASReview LAB exports (CSV, TSV, XLSX or RIS) of one reviewer's project.

Tabular exports keep the imported columns and add ``asreview_label`` (1
relevant, 0 irrelevant, empty not seen; older versions: ``included``, with -1
for not seen), ``asreview_ranking``, and in 2.x ``asreview_time`` and
``asreview_note``. The RIS export writes the label as an N1 note
``ASReview_relevant`` / ``ASReview_irrelevant`` / ``ASReview_not_seen``.
An ASReview project is one reviewer's screening, so the voter is the name given
(default: the file's name without extension).
"""

from __future__ import annotations

from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.exchange.votes import (
    ToolExport, bib_columns, column, is_table, make_export, read_ris, read_table, record_row, ris_record, rows,
)

_LABEL_COLUMNS = ("asreview_label", "included", "label_included", "final_included")
_LABELS = {"1": "include", "1.0": "include", "0": "exclude", "0.0": "exclude", "": None, "-1": None, "-1.0": None}
_RIS_LABELS = {"ASReview_relevant": "include", "ASReview_irrelevant": "exclude", "ASReview_not_seen": None}


def read(path, reviewer: str | None = None, **_options) -> ToolExport:
    voter = reviewer or Path(path).stem
    if is_table(path):
        return _read_table(path, voter)
    records, votes = [], []
    for index, (line, entry) in enumerate(read_ris(path), start=1):
        location = f"{path}:{line}"
        labels = [n.strip() for n in entry.get("notes", []) if n.strip() in _RIS_LABELS]
        if len(set(labels)) > 1:
            raise ReviewflowError(f"record has two ASReview labels {sorted(set(labels))}", str(path), line)
        records.append(ris_record(index, location, entry, entry.get("id", ""), entry.get("accession_number", "")))
        vote = _RIS_LABELS[labels[0]] if labels else None
        if vote:
            votes.append({"record": index, "reviewer": voter, "vote": vote, "reason": ""})
    return make_export(path, records, votes)


def _read_table(path, voter: str) -> ToolExport:
    frame = read_table(path)
    present = [c for c in _LABEL_COLUMNS if c in {x.strip().lower() for x in frame.columns}]
    if not present:
        raise ReviewflowError("no asreview_label (or included) column: not an ASReview export", str(path))
    label = column(frame, present[0])
    tool_id, doi, title = column(frame, "record_id"), column(frame, "doi"), column(frame, "title", "primary_title")
    pmid, year, note = column(frame, "pmid", "pubmed_id", "accession_number"), column(frame, "year"), column(frame, "asreview_note")
    bib = bib_columns(frame)
    records, votes = [], []
    for row, values in enumerate(rows(frame)):
        index, location = row + 1, f"{path}: row {row + 1}"
        records.append(record_row(index, location, tool_id[row], values, doi=doi[row], pmid=pmid[row],
                                  title=title[row], year=year[row], **bib[row]))
        text = label[row].strip()
        if text not in _LABELS:
            raise ReviewflowError(f"{present[0]} {text!r} is not 1, 0 or empty ({location})")
        vote = _LABELS[text]
        if vote:
            votes.append({"record": index, "reviewer": voter, "vote": vote,
                          "reason": note[row].strip() if vote == "exclude" else ""})
    return make_export(path, records, votes)
