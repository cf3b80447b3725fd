"""RIS in its real flavours, read with rispy after a cleaning pass.

rispy maps tags to names well but is silent about damage: it drops a record
without "ER", drops the first record after a BOM (read_text decodes with
utf-8-sig, so none is left), and takes any text between records as nothing.
So ``_records`` first finds the records itself: it drops the text exporters
put between records (Ovid's "1." and "Link to the Ovid Full
Text" lines, Cochrane's "Record #N of M / Provider / Content" preambles),
moves Ovid's NL tag written after "ER" back into its record, folds untagged
continuation lines into the field they continue, normalises Cochrane's
"TAG  -  value" spacing, and refuses a record that is cut off. rispy then
reads the canonical text, and the record counts must agree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import rispy

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields, trial_ids
from reviewflow.ingest.tagged import SEP, TagSyntax, line_numbers, unclosed_record
from reviewflow.records import LIST_SEP

_SYNTAX = TagSyntax(r"[A-Z][A-Z0-9]", r"  - ?")
_BOUNDARY = re.compile(r"^(TY|ER)  -.*$", re.MULTILINE)
# Tag lines straight after ER (Ovid writes NL there) belong to that record.
_AFTER_ER = re.compile(r"(?:\n[A-Z][A-Z0-9]  -.*)+")
_ANY_TAG = re.compile(r"^[A-Z][A-Z0-9]  -", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def _between(text: str, start: int, end: int, records: list[str], outside: list[str], path: Path) -> None:
    """Check the text between two records and keep it in ``outside``; Ovid's
    tag lines right after ER are appended to the record before."""
    gap = text[start:end]
    outside.append(gap)
    if records and (trailer := _AFTER_ER.match(gap)):
        records[-1] += trailer.group(0)
        start += trailer.end()
    if stray := _ANY_TAG.search(text, start, end):
        raise ReviewflowError(
            "tagged line outside a record (no TY line before it)", str(path), text.count("\n", 0, stray.start()) + 1
        )


def _records(text: str, path: Path) -> tuple[list[str], str]:
    """The canonical text of each TY..ER record, one line per field, and the
    text outside records.

    Between records only untagged text (numbering, trailers, preambles) may
    stand. A record must end with ER before the next TY.
    """
    marks = list(_BOUNDARY.finditer(text))
    lines = line_numbers(text, [m.start() for m in marks])
    records: list[str] = []
    outside: list[str] = []
    start = None
    previous_end = 0
    for mark, line in zip(marks, lines):
        if start is None:
            _between(text, previous_end, mark.start(), records, outside, path)
            if mark.group(1) == "ER":
                raise ReviewflowError("ER line outside a record", str(path), line)
            start, start_line = mark.start(), line
        elif mark.group(1) == "ER":
            record = _SYNTAX.fold(text[start : mark.start()].rstrip()).replace(SEP, " ")
            records.append(_BLANK_LINES.sub("", record))
            start, previous_end = None, mark.end()
        else:
            raise ReviewflowError(f"record from line {start_line} has no ER line before the next TY", str(path), line)
    if start is not None:
        raise unclosed_record(text, path, len(records) + 1, start_line)
    _between(text, previous_end, len(text), records, outside, path)
    return records, "".join(outside)


def parse(text: str, path: Path) -> list[dict]:
    records, outside = _records(text, path)
    if not records:
        raise ReviewflowError("no RIS record (TY ... ER) found", str(path))
    entries = rispy.loads("".join(record + "\nER  - \n" for record in records), enforce_list_tags=False)
    if len(entries) != len(records):  # would be a bug in the cleaning above
        raise ReviewflowError(f"read {len(entries)} of {len(records)} RIS records", str(path))
    context = _file_context(outside)
    return [_row(entry, context) for entry in entries]


def _file_context(outside: str) -> str:
    """The database a file comes from when only the packaging between its
    records says so (Cochrane's preambles, Ovid's link trailers)."""
    if re.search(r"^Provider: John Wiley", outside, re.MULTILINE):
        return "Cochrane CENTRAL"
    if "Link to the Ovid Full Text" in outside:
        return "Ovid"
    return ""


def _values(entry: dict, key: str) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if v and v.strip()]


def _unknown(entry: dict, tag: str) -> list[str]:
    return [v.strip() for v in entry.get("unknown_tag", {}).get(tag, []) if v.strip()]


def _first(entry: dict, *keys: str) -> str:
    for key in keys:
        values = _unknown(entry, key) if key.isupper() else _values(entry, key)
        if values:
            return values[0]
    return ""


_DB_NAMES = {"embase": "Embase", "medline": "MEDLINE", "pubmed": "MEDLINE", "scopus": "Scopus"}
_PUBMED_IN_C3 = re.compile(r"PUBMED\s+(\d+)", re.IGNORECASE)
_SCOPUS_EID = re.compile(r"[?&]eid=(2-s2\.0-\d+)")


def _source(entry: dict, context: str) -> tuple[str, str]:
    """(source_db, source_id) from wherever the flavour puts them."""
    accession = _first(entry, "accession_number")
    database = re.sub(r"\s*<.*>\s*$", "", _first(entry, "name_of_database"))
    urls = " ".join(_values(entry, "urls"))
    eid = _SCOPUS_EID.search(urls)
    if accession.startswith("CN-") or context == "Cochrane CENTRAL":
        return "Cochrane CENTRAL", accession
    if accession.startswith("WOS:") or _unknown(entry, "WE"):
        return "Web of Science", accession
    if database.lower() == "embase" or _unknown(entry, "U2"):
        # Embase.com: U2 is the L-number ("L373791783").
        return _DB_NAMES.get(database.lower(), database) or "Embase", _first(entry, "U2") or accession
    if database.lower() == "scopus" or eid:
        return "Scopus", eid.group(1) if eid else accession
    database = _DB_NAMES.get(database.lower(), database) or context or _first(entry, "database_provider")
    return database, accession or _first(entry, "id")


def _pmid(entry: dict) -> str:
    for key in ("custom2", "custom5"):  # Scopus C2, Embase.com C5
        value = _first(entry, key)
        if value.isdigit():
            return value
    for value in _values(entry, "custom3"):  # Cochrane: "PUBMED 21314913,EMBASE 643589775"
        if match := _PUBMED_IN_C3.search(value):
            return match.group(1)
    return ""


def _publication_type(entry: dict) -> str:
    """M3 says more than TY ("Review" vs JOUR) where it is a type at all.

    Ovid PsycINFO puts a classification code in M3; only a value that maps to
    one of our types counts, otherwise TY decides.
    """
    # CENTRAL lists several: "Trial registry record; Clinical trial protocol".
    of_work = fields.publication_type([t for v in _values(entry, "type_of_work") for t in v.split(";")])
    if of_work not in ("", "other"):
        return of_work
    return fields.publication_type(_values(entry, "type_of_reference")) or of_work


def _row(entry: dict, context: str) -> dict:
    source_db, source_id = _source(entry, context)
    standard_numbers = _values(entry, "issn")
    return {
        "source_db": source_db,
        "source_id": source_id,
        "title": fields.clean(_first(entry, "title", "primary_title")),
        # CENTRAL gives its register records the trial ID as author ("NCT05417997,"): no person.
        "authors": [a for a in fields.authors(_values(entry, "authors") or _values(entry, "first_authors"))
                    if not trial_ids.is_register_id(a)],
        "year": fields.year(_first(entry, "year", "publication_year", "date")),
        "journal": fields.clean(
            _first(entry, "secondary_title", "alternate_title3", "journal_name", "alternate_title2")
        ),
        "journal_abbrev": fields.clean(
            _first(entry, "alternate_title1", "JI", "alternate_title2", "journal_name", "NL", "J9")
        ),
        "volume": fields.clean(_first(entry, "volume")),
        "issue": fields.clean(_first(entry, "number")),
        **fields.page_fields(_first(entry, "start_page"), _first(entry, "end_page"), _first(entry, "custom7")),
        "doi": fields.doi(_first(entry, "doi")),
        "pmid": _pmid(entry),
        "issn": fields.issn(standard_numbers),
        "isbn": fields.isbn(standard_numbers),
        "language": fields.language(_first(entry, "language")),
        "publication_type": _publication_type(entry),
        "abstract": fields.clean(_first(entry, "abstract", "notes_abstract")),
        "keywords": [fields.clean(k) for k in _values(entry, "keywords")],
        "notes": "; ".join(fields.clean(n) for n in _values(entry, "notes")),
        # CENTRAL's C3 names the register records it copies: "CTgov NCT...", "ICTRP ...".
        "register_ids": trial_ids.find(*_values(entry, "custom3")),
    }


# --- writing -------------------------------------------------------------------

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

    The one RIS writer of the package (pending lists, screening-tool exports).
    Our own publication type goes to M3 (which the reader prefers over TY),
    the PMID to C2 (Scopus' tag for it), register IDs to C3, source_id to AN, source_db to DB, an
    optional ``ris_id`` column to ID. Columns the frame lacks are left out;
    list columns may also be "; "-joined strings, as in a table read back
    without records.read_csv.
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
            entry["custom3"] = ", ".join(register_ids)  # where CENTRAL names them, so they read back
        if value("notes"):
            entry["notes"] = [value("notes")]
        if numbers := [n for n in (value("issn"), value("isbn")) if n]:
            entry["issn"] = numbers
        entries.append(entry)
    return rispy.dumps(entries, implementation=_PlainWriter, enforce_list_tags=False)


def _cell_reader(row: dict):
    def value(column: str) -> str:
        cell = row.get(column)
        if cell is None or (not isinstance(cell, list) and pd.isna(cell)):
            return ""
        return str(int(cell)) if column == "year" else str(cell)

    return value


def _list_cell(cell) -> list[str]:
    if isinstance(cell, list):
        return [str(item) for item in cell if item]
    if isinstance(cell, str) and cell:
        return cell.split(LIST_SEP)
    return []
