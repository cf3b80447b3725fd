"""A small hand-built review for the screening tests: records, clusters, works, config.

Six works from three databases (the contract's shapes, written by hand so the
tests need neither the ingest nor the dedup stage):
  rf-a: MEDLINE m:1 (primary, PMID 111, DOI 10.1000/a), Embase e:1 (L001), Scopus s:1
  rf-b: Embase e:2 (primary), MEDLINE m:2 (PMID 222, DOI 10.1000/b)
  rf-c: Scopus s:2, 1999                      -> fails the automation year rule
  rf-d: MEDLINE m:3 (PMID 333), German        -> fails the automation language rule
  rf-e: Embase e:3 (L003)
  rf-f: Scopus s:3 (2-s2.0-6), no language    -> passes automation (cannot be decided)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from fixtures import ELIGIBLE, FT_HEADER, TA_HEADER, decision_row, records_frame, write_decisions

from reviewflow.prisma.counts import write_counts_of
from reviewflow.records import write_csv
from reviewflow.screening.run import screen

FILES = {"MEDLINE": "raw/medline.nbib", "Embase": "raw/embase.ris", "Scopus": "raw/scopus.csv"}
# (record db, index, source_id, doi, pmid, year, language, cluster, primary)
RECORDS = [
    ("MEDLINE", 1, "111", "10.1000/a", "111", 2010, "English", "c1", True),
    ("Embase", 1, "L001", "10.1000/a", "111", 2010, "English", "c1", False),
    ("Scopus", 1, "2-s2.0-1", "10.1000/a", "", 2010, "English", "c1", False),
    ("Embase", 2, "L002", "", "", 2012, "English", "c2", True),
    ("MEDLINE", 2, "222", "10.1000/b", "222", 2012, "English", "c2", False),
    ("Scopus", 2, "2-s2.0-3", "10.1000/c", "", 1999, "English", "c3", True),
    ("MEDLINE", 3, "333", "", "333", 2015, "German", "c4", True),
    ("Embase", 3, "L003", "10.1000/e", "", 2016, "English", "c5", True),
    ("Scopus", 3, "2-s2.0-6", "10.1000/f", "", 2018, "", "c6", True),
]
KEYS = {"c1": "rf-a", "c2": "rf-b", "c3": "rf-c", "c4": "rf-d", "c5": "rf-e", "c6": "rf-f"}
RULES = [
    {"fact": "design", "not_in": ["Review", "Editorial"], "reason": "Not a primary clinical study"},
    {"fact": "language", "in": ["English"], "reason": "Not in English"},
    {"fact": "participants", "min": 5, "reason": "Fewer than 5 patients"},
    {"fact": "adults_only", "equals": "yes", "reason": "Not limited to adults"},
    {"fact": "outcome_reported", "equals": "yes", "reason": "No measurable outcome"},
]
ELIGIBILITY = {"automation": {"years": [2003, 2024], "languages": ["English"]}, "full_text": RULES}


def rid(db: str, index: int) -> str:
    return f"{FILES[db]}:{index}"


def records() -> pd.DataFrame:
    return records_frame(
        {
            "record_id": rid(db, i),
            "source_db": db,
            "source_file": FILES[db],
            "source_index": i,
            "source_id": sid,
            "title": f"Work {cluster} in {db}",
            "authors": ["Levy, Y"],
            "year": year,
            "journal": "J Test",
            "doi": doi,
            "pmid": pmid,
            "language": lang,
            "publication_type": "journal article",
        }
        for db, i, sid, doi, pmid, year, lang, cluster, _ in RECORDS
    )


def clusters() -> pd.DataFrame:
    primary = {c: rid(db, i) for db, i, *_, c, p in RECORDS if p}
    rows = []
    for db, i, sid, *_, cluster, is_primary in RECORDS:
        rows.append(
            {
                "record_id": rid(db, i),
                "source_file": FILES[db],
                "source_index": i,
                "source_id": sid,
                "source_db": db,
                "cluster_id": cluster,
                "is_primary": is_primary,
                "duplicate_of": "" if is_primary else primary[cluster],
                "rule": "" if is_primary else "doi",
                "score": "" if is_primary else "1.0",
            }
        )
    return pd.DataFrame(rows)


def works() -> pd.DataFrame:
    by_id = records().set_index("record_id")
    rows = []
    for cluster, key in KEYS.items():
        members = [r for r in RECORDS if r[7] == cluster]
        primary = next(rid(r[0], r[1]) for r in members if r[8])
        rec = by_id.loc[primary]
        rows.append(
            {
                "cluster_id": cluster,
                "key": key,
                "n_records": len(members),
                "primary_record_id": primary,
                "title": rec["title"],
                "authors": "; ".join(rec["authors"]),
                "year": rec["year"],
                "journal": rec["journal"],
                "volume": "",
                "issue": "",
                "pages": "",
                "doi": rec["doi"],
                "pmid": rec["pmid"],
                "record_ids": "; ".join(sorted(rid(r[0], r[1]) for r in members)),
            }
        )
    return pd.DataFrame(rows)


def rounds() -> list[dict]:
    return [
        {
            "name": "original",
            "searches": [
                {"database": db, "date": "2024-04-15", "exports": [path]}
                for db, path in FILES.items()
            ],
        }
    ]


def ft_row(id_, **facts) -> list[str]:
    """A full_text.csv row; unspecified facts are those of an eligible report."""
    return decision_row(FT_HEADER, {"id": id_, **ELIGIBLE, "reviewer": "SK"} | facts)


def write_review(tmp_path, ta_rows, ft_rows) -> dict:
    """Write every input of ``reviewflow screen``; return the paths."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = {"records": []}
    recs = records()
    for db in FILES:
        out = tmp_path / f"records_{db}.csv"
        write_csv(recs.loc[recs["source_db"] == db], out)
        paths["records"].append(str(out))
    paths["clusters"] = str(tmp_path / "clusters.csv")
    clusters().to_csv(paths["clusters"], index=False)
    paths["works"] = str(tmp_path / "works.csv")
    works().to_csv(paths["works"], index=False)
    ta = write_decisions(tmp_path / "title_abstract.csv", TA_HEADER, ta_rows)
    ft = write_decisions(tmp_path / "full_text.csv", FT_HEADER, ft_rows)
    config = {
        "review": {"title": "test"},
        "rounds": rounds(),
        "screening": {"title_abstract": ta, "full_text": ft},
        "eligibility": ELIGIBILITY,
    }
    paths["config"] = str(tmp_path / "config.yaml")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    paths["out"] = str(tmp_path / "results")
    return paths


def screen_and_count(record_paths, clusters_path, works_path, config, out, *args, **kwargs):
    """The screen rule, then the counts rule, as the workflow runs them: (ledger, counts,
    pending)."""
    ledger, waiting = screen(record_paths, clusters_path, works_path, config, out, *args, **kwargs)
    counts = write_counts_of(
        Path(out) / "audit/ledger.csv", config, Path(out) / "prisma/counts.json"
    )
    return ledger, counts, waiting
