"""The package's one RIS writer (pending lists, screening-tool exports), through rispy.

Its reader is reviewflow.ingest.ris: what this writes, ``read_export`` reads back
to the same fields, which is why each field goes to the tag that reader takes it from.
"""

from __future__ import annotations

import pandas as pd
import rispy

from reviewflow.records import LIST_SEP, cell_text

_RIS_TYPE = {
    "journal article": "JOUR",
    "review": "JOUR",
    "conference abstract": "ABST",
    "conference paper": "CONF",
    "book": "BOOK",
    "book chapter": "CHAP",
    "thesis": "THES",
    "preprint": "JOUR",
}


class _PlainWriter(rispy.RisWriter):
    """rispy's writer without its "1." counter line before each record, which
    not every screening tool skips."""

    def set_header(self, count):
        return ""


def dump(frame: pd.DataFrame) -> str:
    """A records frame as RIS text that ``read_export`` reads back unchanged.

    Our own publication type goes to M3 (which the reader prefers over TY),
    the PMID to C2 (Scopus' tag for it), register IDs to C3, source_id to AN, source_db to DB,
    each ISSN and the ISBN to SN, an optional ``ris_id`` column to ID. Columns the frame
    lacks are left out; list columns may also be "; "-joined strings, as in a table read
    back without records.read_csv.
    """
    entries = []
    for row in frame.to_dict("records"):
        value = _cell_reader(row)
        entry = {"type_of_reference": _RIS_TYPE.get(value("publication_type"), "GEN")}
        text = {
            "id": value("ris_id"),
            "title": value("title"),
            "year": value("year"),
            "secondary_title": value("journal"),
            "alternate_title1": value("journal_abbrev"),
            "volume": value("volume"),
            "number": value("issue"),
            "start_page": value("page_start") or value("pages"),
            "end_page": value("page_end"),
            "doi": value("doi"),
            "custom2": value("pmid"),
            "language": value("language"),
            "type_of_work": value("publication_type"),
            "abstract": value("abstract"),
            "accession_number": value("source_id"),
            "name_of_database": value("source_db"),
        }
        entry.update({key: text_value for key, text_value in text.items() if text_value})
        for column, key in (("authors", "authors"), ("keywords", "keywords")):
            if items := _list_cell(row.get(column)):
                entry[key] = items
        if register_ids := _list_cell(row.get("register_ids")):
            entry["custom3"] = ", ".join(
                register_ids
            )  # where CENTRAL names them, so they read back
        if value("notes"):
            entry["notes"] = [value("notes")]
        if numbers := _list_cell(value("issn")) + _list_cell(value("isbn")):
            entry["issn"] = numbers
        entries.append(entry)
    return rispy.dumps(entries, implementation=_PlainWriter, enforce_list_tags=False)


def _cell_reader(row: dict):
    def value(column: str) -> str:
        text = cell_text(row.get(column))
        return str(int(row[column])) if column == "year" and text else text

    return value


def _list_cell(cell) -> list[str]:
    if isinstance(cell, list):
        return [str(item) for item in cell if item]
    if isinstance(cell, str) and cell:
        return cell.split(LIST_SEP)
    return []
