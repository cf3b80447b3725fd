"""Find the work each tool record stands for: by key, else DOI/PMID, else deduplication.

Nothing is guessed: a record that names no work, or several, is reported and
its votes are not used. A record with neither a known key nor a known
identifier is matched by reviewflow.dedup itself: the works (their primary
record's metadata) and those tool records go through the deduplication rules
together, and a tool record is the one work the rules pair it with -- the same
keys, scores and vetoes that made the works, not a second matcher.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from reviewflow.dedup import matched_pairs
from reviewflow.ingest import fields
from reviewflow.records import cell_text, to_frame

MATCH_COLUMNS = ["record", "location", "tool_id", "work_key", "method", "problem"]
# Prefixes of the record_ids in the joint deduplication run.
_WORK, _TOOL = "work:", "tool:"


def _split(value) -> list[str]:
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


class WorkIndex:
    """Identifier -> work keys, built once from works.csv, and the works for deduplication."""

    def __init__(self, works: pd.DataFrame):
        self.works = works
        # A key a work had before works merged (``aliases``) still names it; the key of a
        # work the overrides split (``split_from``) names every part, so none alone.
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, set[str]] = defaultdict(set)
        for work in works.to_dict("records"):
            key = work["key"]
            self.by_key[key].add(key)
            for old in _split(cell_text(work.get("aliases"))) + _split(
                cell_text(work.get("split_from"))
            ):
                self.by_key[old].add(key)
            for doi in _split(work.get("doi")) + _split(work.get("dois")):
                self.by_id["doi:" + fields.doi(doi)].add(key)
            for pmid in _split(work.get("pmid")) + _split(work.get("pmids")):
                self.by_id["pmid:" + pmid].add(key)
        self.by_id.pop("doi:", None)
        self.keys = set(self.by_key)

    def match(self, record: dict) -> tuple[str, str, str]:
        """(work_key, method, problem) by key or identifiers; ("", "", "") when neither finds a
        work."""
        known = sorted({work for k in record["keys"] for work in self.by_key.get(k, ())})
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
        if len(found) == 1:
            return next(iter(found)), "+".join(methods), ""
        if found:
            return (
                "",
                "+".join(methods),
                "identifiers name several works: " + ", ".join(sorted(found)),
            )
        return "", "", ""

    def work_records(self) -> list[dict]:
        """Each work as a record (reviewflow.records.COLUMNS) for deduplication."""
        rows = []
        for n, work in enumerate(self.works.to_dict("records"), start=1):
            authors = work.get("authors")
            rows.append(
                {
                    "record_id": _WORK + work["key"],
                    "source_file": "works",
                    "source_index": n,
                    "authors": authors if isinstance(authors, list) else _split(authors),
                    "year": work.get("year"),
                    **{
                        name: cell_text(work.get(name))
                        for name in ("title", "journal", "volume", "issue", "doi", "pmid")
                    },
                    **fields.page_fields(cell_text(work.get("pages"))),
                }
            )
        return rows

    def dedup_match(self, records: list[dict]) -> dict[int, tuple[str, str, str]]:
        """record -> (work_key, method, problem): the works deduplication pairs each record with."""
        if not records:
            return {}
        tool_rows = [
            {
                "record_id": f"{_TOOL}{r['record']}",
                "source_file": "tool",
                "source_index": r["record"],
                "title": r["title"],
                "authors": r["authors"],
                "year": r["year"] or None,
                "journal": r["journal"],
                "volume": r["volume"],
                "pages": r["pages"],
                "page_start": r["page_start"],
                "page_end": r["page_end"],
                "doi": r["doi"],
                "pmid": r["pmid"],
                "abstract": r["abstract"],
            }
            for r in records
        ]
        pairs = matched_pairs(to_frame(self.work_records() + tool_rows))
        paired: dict[str, dict[str, str]] = defaultdict(dict)  # tool record_id -> work key -> rule
        for left, right, rule in pairs.itertuples(index=False):
            for tool, work in ((left, right), (right, left)):
                if tool.startswith(_TOOL) and work.startswith(_WORK):
                    paired[tool][work.removeprefix(_WORK)] = rule
        out = {}
        for r in records:
            works = paired.get(f"{_TOOL}{r['record']}", {})
            if len(works) == 1:
                ((key, rule),) = works.items()
                out[r["record"]] = (key, "dedup:" + rule, "")
            elif works:
                out[r["record"]] = (
                    "",
                    "dedup",
                    "deduplication pairs it with several works: " + ", ".join(sorted(works)),
                )
            else:
                unknown = [k for k in r["keys"] if k not in self.keys]
                why = f"key {', '.join(unknown)} is not in the works table and " if unknown else ""
                out[r["record"]] = (
                    "",
                    "",
                    why + "no work has its key, DOI or PMID, and deduplication pairs it with none",
                )
        return out


def match_records(records: pd.DataFrame, index: WorkIndex) -> pd.DataFrame:
    """One row per tool record: the work it stands for, how it was found, or the problem.

    Several tool records naming one work (the tool kept a duplicate) are all
    kept matched, and flagged, so their votes are pooled and any disagreement
    between them surfaces as a conflict.
    """
    records = records.to_dict("records")
    found = {r["record"]: index.match(r) for r in records}
    found |= index.dedup_match([r for r in records if found[r["record"]] == ("", "", "")])
    rows = [
        {
            "record": r["record"],
            "location": r["location"],
            "tool_id": r["tool_id"],
            **dict(zip(("work_key", "method", "problem"), found[r["record"]])),
        }
        for r in records
    ]
    out = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    matched = out["work_key"] != ""
    repeated = matched & out["work_key"].duplicated(keep=False)
    out.loc[repeated, "problem"] = (
        "one of several records for work " + out.loc[repeated, "work_key"]
    )
    return out
