"""Build small record tables for dedup tests, the way ingest would."""

from __future__ import annotations

import dataclasses
import re

from reviewflow.dedup import DedupSettings, deduplicate
from reviewflow.ingest import fields
from reviewflow.records import make_record_id, to_frame

ENTRY_TYPES = {
    "article": "journal article",
    "inproceedings": "conference paper",
    "misc": "other",
    "online": "other",
}


# One real trial report, the starting point of most cases: copies differ from it field by field.
BASE = dict(
    title="Intravenous immunoglobulin for diffuse cutaneous systemic sclerosis: a randomised trial",
    author="Takehara, Kazuhiko; Ihn, Hironobu; Sato, Shinichi",
    year="2013",
    journal="Annals of the Rheumatic Diseases",
    volume="72",
    number="7",
    pages="1201-1207",
)


def works(*records, **settings):
    result = deduplicate(frame(*records), dataclasses.replace(DedupSettings.of(), **settings))
    return result.clusters["cluster_id"].nunique()


def record(source_file="test.ris", index=1, **values) -> dict:
    """One parser row; ``author`` is a BibTeX-like string ("A and B", "A; B") or a list."""
    authors = values.pop("author", None) or []
    if isinstance(authors, str):
        authors = [a for a in re.split(r"\s+and\s+|;\s*", authors) if a.strip()]
    page_text, start, end = fields.pages(values.pop("pages", None))
    row = {
        "source_file": source_file,
        "source_index": index,
        "record_id": make_record_id(source_file, index),
        "source_id": values.pop("ID", values.pop("source_id", f"r{index}")),
        "title": fields.clean(values.pop("title", None)),
        "authors": fields.authors(authors),
        "year": fields.year(values.pop("year", None)),
        "journal": fields.clean(values.pop("journal", None) or values.pop("booktitle", None)),
        "volume": fields.clean(values.pop("volume", None)),
        "issue": fields.clean(values.pop("number", None) or values.pop("issue", None)),
        "pages": page_text,
        "page_start": start,
        "page_end": end,
        "doi": fields.doi(values.pop("doi", None)),
        "pmid": fields.clean(values.pop("pmid", None)),
        "abstract": fields.clean(values.pop("abstract", None)),
        "publication_type": values.pop("publication_type", None)
        or ENTRY_TYPES.get(str(values.pop("ENTRYTYPE", "article")), "other"),
    }
    return row


def frame(*records):
    """A record table from record() rows (or dicts of record() keyword arguments)."""
    rows = []
    for index, values in enumerate(records, start=1):
        values = dict(values)
        values.setdefault("index", index)
        rows.append(record(**{k: v for k, v in values.items() if v is not None}))
    return to_frame(rows)
