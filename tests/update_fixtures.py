"""A small hand-built review with an update round, for the update tests.

Round "original" (files raw/medline.nbib, raw/embase.ris):
  A: m:1 (PMID 111, DOI 10.1000/a) + e:1 (L001)   -> included
  B: m:2 (PMID 222)                               -> excluded at title/abstract
  C: e:2 (L002, DOI 10.1000/c)                    -> included
  D: e:3 (L003)                                   -> excluded at title/abstract
Round "update" (files raw/update_medline.nbib, raw/update_embase.ris):
  um:1 (PMID 111) re-exports A, ue:1 (L002) re-exports C
  N: um:2 (PMID 555) + ue:2 (L005)                -> a new work, decided in the update's files
  P: ue:3 (L006)                                  -> a new work nobody has screened yet
Clusters, pairs (every two records of a work match) and works are written by hand in the dedup
contract's shapes,
so ``Review`` can rebuild them after a test reorders or adds records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import yaml
from fixtures import FT_HEADER, TA_HEADER, decision_row, records_frame, write_decisions

from reviewflow.records import write_csv

FILES = {
    "original": {"MEDLINE": "raw/medline.nbib", "Embase": "raw/embase.ris"},
    "update": {"MEDLINE": "raw/update_medline.nbib", "Embase": "raw/update_embase.ris"},
}
ELIGIBILITY = {
    "automation": {"years": [2003, 2025], "languages": ["English"]},
    "full_text": [
        {"fact": "design", "not_in": ["Review"], "reason": "Not a primary clinical study"},
        {"fact": "participants", "min": 5, "reason": "Fewer than 5 patients"},
    ],
}


@dataclass
class Rec:
    round: str
    db: str
    index: int
    source_id: str
    work: str
    doi: str = ""
    pmid: str = ""
    year: int = 2015
    path: str = ""  # another export file of the round (default: the round's file of the database)
    merged_into: str = ""  # the work dedup put the record in, if not its own (a wrong merge)

    @property
    def cluster(self) -> str:
        return self.merged_into or self.work

    @property
    def file(self) -> str:
        return self.path or FILES[self.round][self.db]

    @property
    def record_id(self) -> str:
        return f"{self.file}:{self.index}"


def base_records() -> list[Rec]:
    return [
        Rec("original", "MEDLINE", 1, "111", "A", "10.1000/a", "111", 2010),
        Rec("original", "Embase", 1, "L001", "A", "10.1000/a", "111", 2010),
        Rec("original", "MEDLINE", 2, "222", "B", "", "222", 2012),
        Rec("original", "Embase", 2, "L002", "C", "10.1000/c", "", 2016),
        Rec("original", "Embase", 3, "L003", "D", "", "", 2018),
        Rec("update", "MEDLINE", 1, "111", "A", "10.1000/a", "111", 2010),
        Rec("update", "Embase", 1, "L002", "C", "10.1000/c", "", 2016),
        Rec("update", "MEDLINE", 2, "555", "N", "10.1000/n", "555", 2025),
        Rec("update", "Embase", 2, "L005", "N", "10.1000/n", "", 2025),
        Rec("update", "Embase", 3, "L006", "P", "", "", 2024),
    ]


def ft_row(id_, **facts) -> list[str]:
    return decision_row(
        FT_HEADER,
        {
            "id": id_,
            "retrieved": "yes",
            "participants": "10",
            "design": "Retrospective",
            "reviewer": "SK",
        }
        | facts,
    )


ORIGINAL_TA = [
    ["111", "include", "", "SK"],
    ["222", "exclude", "Not SSc", "SK"],
    ["L002", "include", "", "SK"],
    ["L003", "exclude", "Review", "SK"],
]
ORIGINAL_FT = [ft_row("111"), ft_row("10.1000/c")]
UPDATE_TA = [["555", "include", "", "AB"]]
UPDATE_FT = [ft_row("L005", reviewer="AB")]


@dataclass
class Review:
    """Everything ``reviewflow screen`` reads; tests edit the lists, then ``write``."""

    recs: list[Rec] = field(default_factory=base_records)
    primary: dict[str, str] = field(
        default_factory=dict
    )  # work -> record_id dedup chose (default: first)
    links: list[tuple[str, str]] = field(default_factory=list)  # extra matched pairs (record ids)
    original_ta: list = field(default_factory=lambda: [r[:] for r in ORIGINAL_TA])
    original_ft: list = field(default_factory=lambda: [r[:] for r in ORIGINAL_FT])
    update_ta: list = field(default_factory=lambda: [r[:] for r in UPDATE_TA])
    update_ft: list = field(default_factory=lambda: [r[:] for r in UPDATE_FT])
    own_update_files: bool = True  # the update round has its own decision files

    def records(self) -> pd.DataFrame:
        return records_frame(
            {
                "record_id": r.record_id,
                "source_db": r.db,
                "source_file": r.file,
                "source_index": r.index,
                "source_id": r.source_id,
                "title": f"Work {r.work}",
                "authors": ["Levy, Y"],
                "year": r.year,
                "journal": "J Test",
                "doi": r.doi,
                "pmid": r.pmid,
                "language": "English",
                "publication_type": "journal article",
            }
            for r in self.recs
        )

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        works = sorted({r.cluster for r in self.recs})
        cluster_of = {w: f"c{i}" for i, w in enumerate(works)}
        members = {w: [r for r in self.recs if r.cluster == w] for w in works}
        primary = {w: self.primary.get(w, members[w][0].record_id) for w in works}
        clusters = pd.DataFrame(
            [
                {
                    "record_id": r.record_id,
                    "source_file": r.file,
                    "source_index": r.index,
                    "source_id": r.source_id,
                    "source_db": r.db,
                    "cluster_id": cluster_of[r.cluster],
                    "is_primary": r.record_id == primary[r.cluster],
                    "duplicate_of": "" if r.record_id == primary[r.cluster] else primary[r.cluster],
                    "rule": "",
                    "score": "",
                }
                for r in self.recs
            ]
        )
        # Dedup lists every matched pair: here, every two records of one work.
        pairs = [
            (a.record_id, b.record_id)
            for i, a in enumerate(self.recs)
            for b in self.recs[i + 1 :]
            if a.work == b.work
        ]
        pairs = pd.DataFrame(pairs + self.links, columns=["record_a", "record_b"]).assign(
            rule="doi"
        )
        by_id = {r.record_id: r for r in self.recs}
        works_table = pd.DataFrame(
            [
                {
                    "cluster_id": cluster_of[w],
                    "key": f"rf-{w.lower()}",
                    "n_records": len(members[w]),
                    "primary_record_id": primary[w],
                    "title": f"Work {w}",
                    "authors": "Levy, Y",
                    "year": by_id[primary[w]].year,
                    "journal": "J Test",
                    "volume": "",
                    "issue": "",
                    "pages": "",
                    "doi": by_id[primary[w]].doi,
                    "pmid": by_id[primary[w]].pmid,
                    "record_ids": "; ".join(sorted(r.record_id for r in members[w])),
                }
                for w in works
            ]
        )
        return clusters, pairs, works_table

    def write(self, tmp_path) -> dict:
        tmp_path.mkdir(parents=True, exist_ok=True)
        recs = self.records()
        paths = {"records": []}
        for i, (_, rows) in enumerate(recs.groupby("source_file", sort=True)):
            out = tmp_path / f"records_{i}.csv"
            write_csv(rows, out)
            paths["records"].append(str(out))
        clusters, pairs, works = self.tables()
        for name, table in (("clusters", clusters), ("pairs", pairs), ("works", works)):
            paths[name] = str(tmp_path / f"{name}.csv")
            table.to_csv(paths[name], index=False)
        screening = {
            "title_abstract": write_decisions(tmp_path / "ta.csv", TA_HEADER, self.original_ta),
            "full_text": write_decisions(tmp_path / "ft.csv", FT_HEADER, self.original_ft),
        }
        update = {
            "title_abstract": write_decisions(
                tmp_path / "update_ta.csv", TA_HEADER, self.update_ta
            ),
            "full_text": write_decisions(tmp_path / "update_ft.csv", FT_HEADER, self.update_ft),
        }
        if not self.own_update_files:
            screening = {
                "title_abstract": write_decisions(
                    tmp_path / "ta.csv", TA_HEADER, self.original_ta + self.update_ta
                ),
                "full_text": write_decisions(
                    tmp_path / "ft.csv", FT_HEADER, self.original_ft + self.update_ft
                ),
            }
        rounds = []
        for name, files in FILES.items():
            used = sorted({r.file for r in self.recs if r.round == name})
            round_ = {
                "name": name,
                "searches": [
                    {
                        "database": db,
                        "date": "2024-04-15" if name == "original" else "2025-06-30",
                        "exports": [p for p in used if p == path] or [path],
                    }
                    for db, path in files.items()
                ],
            }
            extra = [p for p in used if p not in files.values()]
            if extra:  # another export of the round's Embase search: one search lists both files
                next(s for s in round_["searches"] if s["database"] == "Embase")["exports"] += extra
            if name == "update" and self.own_update_files:
                round_["screening"] = update
            rounds.append(round_)
        config = {
            "review": {"title": "test"},
            "rounds": rounds,
            "screening": screening,
            "eligibility": ELIGIBILITY,
        }
        paths["config"] = str(tmp_path / "config.yaml")
        (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
        paths["out"] = str(tmp_path / "results")
        return paths
