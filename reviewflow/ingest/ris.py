"""RIS in its real flavours, read a column at a time.

rispy maps tags to names well but is silent about damage: it drops a record
without "ER", drops the first record after a BOM (read_text decodes with
utf-8-sig, so none is left), and takes any text between records as nothing.
So ``_records`` finds the records itself: it drops the text exporters
put between records (Ovid's "1." and "Link to the Ovid Full
Text" lines, Cochrane's "Record #N of M / Provider / Content" preambles),
moves Ovid's NL tag written after "ER" back into its record, folds untagged
continuation lines into the field they continue, and refuses a record that
is cut off. Having done that, it also reads each record's tag lines, with
one regular expression (as for every line-tagged format, see
reviewflow.ingest.tagged), rather than handing the text to rispy's parser,
which would split the same lines again in a Python loop, a quarter of the
reading time, to give names that the tag table below states as plainly (the
RIS tags as rispy and the RIS specification name them). The fields are then
normalised a column at a time, each distinct value once. The screening tools'
exports are read through the same records (``tagged_records``); RIS is written
by reviewflow.exchange.ris_writer.
"""

from __future__ import annotations

import re
from functools import reduce
from itertools import chain
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import fields, trial_ids
from reviewflow.ingest.detect import read_text
from reviewflow.ingest.tagged import (
    SEP,
    TagSyntax,
    each_distinct,
    line_marks,
    line_numbers,
    unclosed_record,
    warn_empty,
)

# The tags _columns reads; the others (AD affiliations, L1/L2 full-text links,
# publishers...) are skipped by the regular expression.
_WANTED = (
    "TY",
    "TI",
    "T1",
    "AU",
    "A1",
    "PY",
    "Y1",
    "DA",
    "T2",
    "JF",
    "JO",
    "JA",
    "J2",
    "JI",
    "NL",
    "J9",
    "VL",
    "IS",
    "SP",
    "EP",
    "C7",
    "DO",
    "C2",
    "C3",
    "C5",
    "SN",
    "LA",
    "M3",
    "AB",
    "N2",
    "KW",
    "N1",
    "AN",
    "DB",
    "UR",
    "WE",
    "U2",
    "ID",
    "DP",
)
_SYNTAX = TagSyntax(r"[A-Z][A-Z0-9]", r"  - ?", _WANTED, bare=False)
_EVERY_TAG = TagSyntax(r"[A-Z][A-Z0-9]", r"  - ?", bare=False)
_FRAME = frozenset({"TY"})  # a record with nothing else is empty
_BOUNDARY = re.compile(r"\n(TY|ER)  -.*$", re.MULTILINE)  # (found by line_marks)
# Tag lines straight after ER (Ovid writes NL there) belong to that record.
_AFTER_ER = re.compile(r"(?:\n[A-Z][A-Z0-9]  -.*)+")
_ANY_TAG = re.compile(r"^[A-Z][A-Z0-9]  -", re.MULTILINE)


def _between(
    text: str, start: int, end: int, records: list[str], outside: list[str], path: Path
) -> None:
    """Check the text between two records and keep it in ``outside``; Ovid's
    tag lines right after ER are appended to the record before."""
    gap = text[start:end]
    outside.append(gap)
    if gap.isspace():  # the blank lines between most records: no tag line in them
        return
    if records and (trailer := _AFTER_ER.match(gap)):
        records[-1] += trailer.group(0)
        start += trailer.end()
    if stray := _ANY_TAG.search(text, start, end):
        raise ReviewflowError(
            "tagged line outside a record (no TY line before it)",
            str(path),
            text.count("\n", 0, stray.start()) + 1,
        )


def _records(text: str, path: Path) -> tuple[list[str], list[int], str]:
    """The text of each TY..ER record (without ER), the line each starts on,
    and the text outside records.

    Between records only untagged text (numbering, trailers, preambles) may
    stand. A record must end with ER before the next TY; a file holds at least one.
    """
    marks = line_marks(_BOUNDARY, text)
    lines = line_numbers(text, [mark.start for mark in marks])
    records: list[str] = []
    starts: list[int] = []
    outside: list[str] = []
    start = None
    previous_end = 0
    for (begin, end, tag), line in zip(marks, lines):
        if start is None:
            _between(text, previous_end, begin, records, outside, path)
            if tag == "ER":
                raise ReviewflowError("ER line outside a record", str(path), line)
            start, start_line = begin, line
        elif tag == "ER":
            records.append(text[start:begin].rstrip())
            starts.append(start_line)
            start, previous_end = None, end
        else:
            raise ReviewflowError(
                f"record from line {start_line} has no ER line before the next TY", str(path), line
            )
    if start is not None:
        raise unclosed_record(text, path, len(records) + 1, start_line)
    _between(text, previous_end, len(text), records, outside, path)
    if not records:
        raise ReviewflowError("no RIS record (TY ... ER) found", str(path))
    return records, starts, "".join(outside)


def _tags(record: str, syntax: TagSyntax = _SYNTAX) -> dict[str, list[str]]:
    """Tag -> its values in one record, in order; empty values are no values."""
    out: dict[str, list[str]] = {}
    for tag, value in syntax.line.findall(syntax.fold(record)):
        if SEP in value:
            value = value.replace(SEP, " ")
        if value := value.strip():
            if tag in out:
                out[tag].append(value)
            else:
                out[tag] = [value]
    return out


def parse(text: str, path: Path) -> dict[str, list]:
    blocks, starts, outside = _records(text, path)
    records = [_tags(block) for block in blocks]
    warn_empty(
        path,
        [
            line
            for line, record, block in zip(starts, records, blocks)
            # (_tags keeps only non-empty values: a record with a tag beyond TY has one)
            if record.keys() <= _FRAME and _SYNTAX.is_empty(record, block, _FRAME)
        ],
        "TY and ER",
    )
    return _columns(records, _file_context(outside))


def tagged_records(path) -> list[tuple[int, dict[str, list[str]]]]:
    """Each record of a RIS file as tag -> its values, every tag kept, with the line it
    starts on: for the screening tools' exports, whose readers look for a work key in
    whatever tag a tool moved it to. The records are found and checked as ``parse`` does."""
    path = Path(path)
    blocks, starts, _ = _records(read_text(path), path)
    return [(line, _tags(block, _EVERY_TAG)) for line, block in zip(starts, blocks)]


def _file_context(outside: str) -> str:
    """The database a file comes from when only the packaging between its
    records says so (Cochrane's preambles, Ovid's link trailers)."""
    if re.search(r"^Provider: John Wiley", outside, re.MULTILINE):
        return "Cochrane CENTRAL"
    if "Link to the Ovid Full Text" in outside:
        return "Ovid"
    return ""


class _Tags:
    """The records' tag values, taken a column at a time; a tag no record of
    the file has (most of them, in most files) costs nothing."""

    def __init__(self, records: list[dict[str, list[str]]]):
        self.records = records
        self.present = set(chain.from_iterable(records))

    def first(self, *tags: str) -> list[str]:
        """Per record, the first value of the first of ``tags`` it has, or ""."""
        columns = [
            [values[0] if (values := record.get(tag)) else "" for record in self.records]
            for tag in tags
            if tag in self.present
        ]
        if not columns:
            return [""] * len(self.records)
        return reduce(lambda chosen, column: [a or b for a, b in zip(chosen, column)], columns)

    def every(self, tag: str) -> list[tuple[str, ...]]:
        if tag not in self.present:
            return [()] * len(self.records)
        return [tuple(record.get(tag, ())) for record in self.records]


def _columns(records: list[dict], context: str) -> dict[str, list]:
    """The record table's columns; which tag each field comes from, in order of preference:

    title TI, T1; authors AU, else A1; year PY, Y1, DA; journal T2, JF, JO, JA;
    abbreviation J2, JI, JA, JO, NL (Ovid), J9 (WoS); issue IS; pages SP, EP, or
    the article number C7 (Scopus); ISSN and ISBN both in SN; type M3, TY;
    abstract AB, N2; keywords KW; notes N1.
    """
    clean = fields.clean
    tags = _Tags(records)
    names = [record.get("AU") or record.get("A1") or () for record in records]
    # CENTRAL gives its register records the trial ID as author ("NCT05417997,"): no person.
    author = {
        name: "" if trial_ids.is_register_id(name) else fields.author(name)
        for name in set(chain.from_iterable(names))
    }
    pages = each_distinct(
        lambda p: fields.page_fields(*p),
        list(zip(tags.first("SP"), tags.first("EP"), tags.first("C7"))),
    )
    numbers = tags.every("SN")
    source = [_source(record, context) for record in records]
    return {
        "source_db": [db for db, _ in source],
        "source_id": [source_id for _, source_id in source],
        "title": [clean(t) for t in tags.first("TI", "T1")],
        "authors": [[a for name in group if (a := author[name])] for group in names],
        "year": each_distinct(fields.year, tags.first("PY", "Y1", "DA")),
        "journal": each_distinct(clean, tags.first("T2", "JF", "JO", "JA")),
        "journal_abbrev": each_distinct(clean, tags.first("J2", "JI", "JA", "JO", "NL", "J9")),
        "volume": each_distinct(clean, tags.first("VL")),
        "issue": each_distinct(clean, tags.first("IS")),
        **{name: [p[name] for p in pages] for name in ("pages", "page_start", "page_end")},
        "doi": [fields.doi(d) for d in tags.first("DO")],
        "pmid": [_pmid(record) for record in records]
        if tags.present & {"C2", "C3", "C5"}
        else [""] * len(records),
        "issn": each_distinct(fields.issn, numbers),
        "isbn": each_distinct(fields.isbn, numbers),
        "language": each_distinct(fields.language, tags.first("LA")),
        "publication_type": each_distinct(
            _publication_type, list(zip(tags.every("M3"), tags.every("TY")))
        ),
        "abstract": [clean(a) for a in tags.first("AB", "N2")],
        "keywords": [[clean(k) for k in keywords] for keywords in tags.every("KW")],
        "notes": ["; ".join(clean(n) for n in notes) for notes in tags.every("N1")],
        # CENTRAL's C3 names the register records it copies: "CTgov NCT...", "ICTRP ...".
        "register_ids": [trial_ids.find(*c3) for c3 in tags.every("C3")],
    }


def _one(record: dict, tag: str) -> str:
    values = record.get(tag)
    return values[0] if values else ""


_DB_NAMES = {"embase": "Embase", "medline": "MEDLINE", "pubmed": "MEDLINE", "scopus": "Scopus"}
_SCOPUS_EID = re.compile(r"[?&]eid=(2-s2\.0-\d+)")


def _source(record: dict, context: str) -> tuple[str, str]:
    """(source_db, source_id) from wherever the flavour puts them: AN, DB, the
    Scopus URL's eid (UR), WoS's WE, Embase.com's L-number (U2), DP, ID."""
    accession = _one(record, "AN")
    database = re.sub(r"\s*<.*>\s*$", "", _one(record, "DB")) if "DB" in record else ""
    name = database.lower()
    eid = _SCOPUS_EID.search(" ".join(record["UR"])) if "UR" in record else None
    if accession.startswith("CN-") or context == "Cochrane CENTRAL":
        return "Cochrane CENTRAL", accession
    if accession.startswith("WOS:") or "WE" in record:
        return "Web of Science", accession
    if name == "embase" or "U2" in record:
        # Embase.com: U2 is the L-number ("L373791783").
        return _DB_NAMES.get(name, database) or "Embase", _one(record, "U2") or accession
    if name == "scopus" or eid:
        return "Scopus", eid.group(1) if eid else accession
    return _DB_NAMES.get(name, database) or context or _one(record, "DP"), accession or _one(
        record, "ID"
    )


def _pmid(record: dict) -> str:
    # Scopus C2, Embase.com C5, Cochrane C3 ("PUBMED 21314913,EMBASE 643589775").
    for value in (_one(record, "C2"), _one(record, "C5"), *record.get("C3", ())):
        if found := fields.pmid(value):
            return found
    return ""


def _publication_type(types: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    """M3 says more than TY ("Review" vs JOUR) where it is a type at all.

    Ovid PsycINFO puts a classification code in M3; only a value that maps to
    one of our types counts, otherwise TY decides.
    """
    # CENTRAL lists several: "Trial registry record; Clinical trial protocol".
    of_work = fields.publication_type([t for v in types[0] for t in v.split(";")])
    if of_work not in ("", "other"):
        return of_work
    return fields.publication_type(types[1]) or of_work
