"""Find the work each tool record stands for: by key, else DOI/PMID, else title + year.

Nothing is guessed: a record that names no work, or several, is reported and
its votes are not used. Title matching is exact on a normalised title and the
same year (reviewflow.dedup's fuzzy comparison is not on this branch; the
lead may swap it in here).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pandas as pd

from reviewflow.ingest import fields

MATCH_COLUMNS = ["record", "location", "tool_id", "work_key", "method", "problem"]


def normal_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", str(title or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", text)


def _split(value) -> list[str]:
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


class WorkIndex:
    """Identifier -> work keys, built once from works.csv."""

    def __init__(self, works: pd.DataFrame):
        self.keys = set(works["key"])
        self.by_id: dict[str, set[str]] = defaultdict(set)
        self.by_title: dict[tuple[str, str], set[str]] = defaultdict(set)
        for work in works.to_dict("records"):
            key = work["key"]
            for doi in _split(work.get("doi")) + _split(work.get("dois")):
                self.by_id["doi:" + fields.doi(doi)].add(key)
            for pmid in _split(work.get("pmid")) + _split(work.get("pmids")):
                self.by_id["pmid:" + pmid].add(key)
            year = "" if pd.isna(work.get("year")) else str(work.get("year"))
            title = normal_title(work.get("title"))
            if title:
                self.by_title[(title, year)].add(key)
        self.by_id.pop("doi:", None)

    def match(self, record: dict) -> tuple[str, str, str]:
        """(work_key, method, problem) for one tool record; problem "" when matched."""
        known = [k for k in record["keys"] if k in self.keys]
        if len(known) == 1:
            return known[0], "key", ""
        if len(known) > 1:
            return "", "key", "names several works: " + ", ".join(known)
        found: set[str] = set()
        methods = []
        for kind in ("doi", "pmid"):
            if record[kind]:
                hits = self.by_id.get(f"{kind}:{record[kind]}", set())
                if hits:
                    methods.append(kind)
                found |= hits
        if found:
            if len(found) == 1:
                return next(iter(found)), "+".join(methods), ""
            return "", "+".join(methods), "identifiers name several works: " + ", ".join(sorted(found))
        title = normal_title(record["title"])
        hits = self.by_title.get((title, record["year"]), set()) if title else set()
        if len(hits) == 1:
            return next(iter(hits)), "title+year", ""
        if len(hits) > 1:
            return "", "title+year", "title and year match several works: " + ", ".join(sorted(hits))
        unknown = [k for k in record["keys"] if k not in self.keys]
        why = f"key {', '.join(unknown)} is not in the works table and " if unknown else ""
        return "", "", why + "no work has its key, DOI, PMID or title and year"


def match_records(records: pd.DataFrame, index: WorkIndex) -> pd.DataFrame:
    """One row per tool record: the work it stands for, how it was found, or the problem.

    Several tool records naming one work (the tool kept a duplicate) are all
    kept matched, and flagged, so their votes are pooled and any disagreement
    between them surfaces as a conflict.
    """
    rows = []
    for record in records.to_dict("records"):
        key, method, problem = index.match(record)
        rows.append({"record": record["record"], "location": record["location"], "tool_id": record["tool_id"],
                     "work_key": key, "method": method, "problem": problem})
    out = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    matched = out["work_key"] != ""
    repeated = matched & out["work_key"].duplicated(keep=False)
    out.loc[repeated, "problem"] = "one of several records for work " + out.loc[repeated, "work_key"]
    return out
