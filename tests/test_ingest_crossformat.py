"""The same records exported in several formats read to the same normalised fields."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pandas as pd
import pytest
from conftest import SHARED

from reviewflow.ingest import read_export

# The same records exported from one database in several formats (each folder's
# SOURCES.txt says so), in the same order, under ../shared/samples. WoS's .ciw
# export holds the .txt's four records and one more.
EMBASE = (
    "embase_csv/_baseline_embase.csv",
    "embase_csv/_baseline_embase.xlsx",
    "embase_ris/_baseline_embase.ris",
)
GROUPS = [
    ("scopus_csv/_baseline_scopus.csv", "scopus_ris/_baseline_scopus.ris"),
    ("scopus_bibtex/Scopus_bib_example.bib", "scopus_ris/Scopus_ris_example.ris"),
    (
        "wos_tab/wos_tab_delimited_win_utf8.txt",
        "wos_tab/wos_tab_delimited_win_utf16.txt",
        "wos_tagged/wos_plaintext.txt",
    ),
    ("wos_tagged/WoS_txt_example.txt", "wos_tagged/WoS_ciw_example.ciw"),
    (
        "cochrane/_baseline_cochrane.csv",
        "cochrane/_baseline_cochrane_endnote.ris",
        "cochrane/_baseline_cochrane_refman.ris",
    ),
    EMBASE,
    ("embase_csv/embase.csv", "embase_ris/embase.ris"),
    (
        "ovid_embase_tagged/Embase_citavi_r3001-3002.ovd",
        "ovid_embase_tagged/Embase_endnote_r3001-3002.cgi",
    ),
]
PAIRS = [(group[0], other) for group in GROUPS for other in group[1:]]
# Every normalised bibliographic field. Not compared: source_db (the workflow names the
# database from the config; Embase.com's RIS says MEDLINE for the records Embase took
# from MEDLINE), keywords (the formats export different term sets: Embase's CSV adds
# drug and device terms), notes, and register_ids (no sample has them in two formats).
FIELDS = [
    "source_id", "title", "authors", "year", "journal", "journal_abbrev", "volume", "issue",
    "pages", "page_start", "page_end", "doi", "pmid", "issn", "isbn", "language",
    "publication_type", "abstract",
]  # fmt: skip


def author_key(name: str) -> str:
    """Surname and initials: Scopus CSV gives "Wilson, Lauren N.", its RIS "Wilson, L.N."."""
    surname, _, given = name.partition(",")
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)
    return f"{surname.strip().lower()} {initials.upper()}"


def present(value) -> bool:
    return bool(value) if isinstance(value, list) else not pd.isna(value) and value != ""


def comparable(field: str, value):
    if field == "authors":
        return [author_key(a) for a in value]
    return value


@cache
def records(path: str) -> pd.DataFrame:
    return read_export(SHARED / "samples" / path)


def compare(first: str, other: str) -> tuple[Counter, list]:
    """How often each field was given by both files, and every disagreement."""
    left, right = records(first), records(other)
    assert 0 < len(left) <= len(right)
    compared, differ = Counter(), []
    for (_, a), (_, b) in zip(left.iterrows(), right.iterrows()):
        for field in FIELDS:
            x, y = a[field], b[field]
            if present(x) and present(y):
                compared[field] += 1
                if comparable(field, x) != comparable(field, y):
                    differ.append((field, a["record_id"], x, y))
    return compared, differ


@pytest.mark.parametrize("first, other", PAIRS)
def test_same_records_same_fields(shared, first, other):
    compared, differ = compare(first, other)
    assert differ == []
    # Not vacuous: the records were paired and their identifying fields compared.
    for field in ("title", "authors", "year"):
        assert compared[field] > 0, field


def test_every_field_is_compared_in_some_pair(shared):
    """Each field is given by two formats of the same records somewhere in the samples,
    so a reader that stopped filling one (or filled it differently) fails the test above."""
    total = sum((compare(first, other)[0] for first, other in PAIRS), Counter())
    assert [field for field in FIELDS if not total[field]] == []


def test_issn_is_the_same_from_csv_xlsx_and_ris(shared):
    """Embase's CSV cell "1932-8494 (electronic),1932-8486" and its RIS's two SN lines."""
    issns = [set(records(path)["issn"]) for path in EMBASE]
    assert "1932-8494; 1932-8486" in issns[0]
    assert issns[0] == issns[1] == issns[2]
