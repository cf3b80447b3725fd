"""RIS, read with rispy."""

from __future__ import annotations

from pathlib import Path

import rispy

from reviewflow.ingest import fields


def parse(text: str, path: Path) -> list[dict]:
    rows = []
    for entry in rispy.loads(text, skip_unknown_tags=True):
        page_text, start, end = fields.pages(
            "-".join(p for p in (entry.get("start_page"), entry.get("end_page")) if p)
        )
        rows.append(
            {
                "source_db": entry.get("name_of_database", ""),
                "source_id": entry.get("id") or entry.get("accession_number", ""),
                "title": fields.clean(entry.get("title") or entry.get("primary_title")),
                "authors": fields.authors(entry.get("authors") or entry.get("first_authors")),
                "year": fields.year(entry.get("year") or entry.get("publication_year")),
                "journal": fields.clean(entry.get("secondary_title") or entry.get("journal_name")),
                "journal_abbrev": fields.clean(entry.get("alternate_title3") or entry.get("alternate_title1")),
                "volume": fields.clean(entry.get("volume")),
                "issue": fields.clean(entry.get("number")),
                "pages": page_text,
                "page_start": start,
                "page_end": end,
                "doi": fields.doi(entry.get("doi")),
                "issn": fields.clean(entry.get("issn")),
                "language": fields.language(entry.get("language")),
                "publication_type": fields.publication_type(entry.get("type_of_reference")),
                "abstract": fields.clean(entry.get("abstract")),
                "keywords": entry.get("keywords", []),
                "notes": fields.clean("; ".join(entry.get("notes", []))),
            }
        )
    return rows
