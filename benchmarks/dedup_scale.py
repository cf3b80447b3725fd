"""How reviewflow's dedup scales: time and peak memory at 10k, 100k, 1M records.

    python benchmarks/dedup_scale.py [--sizes 10000 100000 1000000] [--seed 1]

Each set is generated from the real titles, authors and journals of the labelled
sets in ../shared/benchmarks/dedup, recombined into distinct works (first half of
one title + second half of another; authors, journal, year, volume, pages and DOI
drawn independently). Each work appears 1-4 times with the differences databases
introduce: author forms ("Surname, G.", "Surname G.Other H.", "G. Surname"),
abbreviated journal names, missing DOI, missing abstract, upper case, punctuation,
abbreviated page ranges, online-first year (one earlier, no volume). Each set is
written as a record table (what `reviewflow ingest` writes), and a fresh process then
does what `reviewflow dedup` does with it, timed by /usr/bin/time: the figures are that
whole process's wall time and peak resident memory, its steps (reading the table,
the deduplicate call, writing the three tables), pairwise precision/recall against
the generated truth, and the growth exponent of the whole time between consecutive
sizes.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks" / "dedup"
STOP = {"of", "the", "and", "in", "for", "on", "&"}


def _pools():
    from reviewflow.ingest import read_export

    frames = [
        read_export(p / "records.ris")
        for p in sorted(SHARED.iterdir())
        if (p / "records.ris").is_file()
    ]
    records = pd.concat(frames, ignore_index=True)
    titles = sorted({t for t in records["title"] if len(t.split()) >= 6})
    names = sorted(
        {
            a.split(",")[0].strip()
            for authors in records["authors"]
            for a in authors
            if "," in a and a.split(",")[0].strip().isalpha()
        }
    )
    journals = sorted({j for j in records["journal"] if len(j.split()) >= 2 and "." not in j})
    abstracts = sorted({a for a in records["abstract"] if len(a) > 200})
    return titles, names, journals, abstracts


def _abbreviate(journal: str) -> str:
    return " ".join(
        w[:4].rstrip("aeiou").capitalize() if len(w) > 4 else w
        for w in journal.split()
        if w.lower() not in STOP
    )


def generate(n_records: int, seed: int) -> pd.DataFrame:
    """About n_records records of distinct works, with a ``work`` column as the truth."""
    from reviewflow.records import to_frame

    rng = np.random.default_rng(seed)
    titles, names, journals, abstracts = _pools()
    copies_p = np.array([0.4, 0.3, 0.2, 0.1])
    n_works = int(n_records / (copies_p * np.arange(1, 5)).sum()) + 1
    halves = [t.split() for t in titles]
    combo = rng.choice(len(titles) ** 2, size=n_works, replace=False)
    first, second = combo // len(titles), combo % len(titles)
    rows = []
    copies = rng.choice(4, size=n_works, p=copies_p) + 1
    for w in range(n_works):
        a, b = halves[first[w]], halves[second[w]]
        title = " ".join(a[: len(a) // 2] + b[len(b) // 2 :])
        authors = [
            (names[i], "".join(rng.choice(list("ABCDEFGHJKLMNPRSTW"), size=rng.integers(1, 3))))
            for i in rng.integers(0, len(names), size=rng.integers(1, 7))
        ]
        journal = journals[rng.integers(len(journals))]
        year, volume = int(rng.integers(1985, 2025)), str(int(rng.integers(1, 300)))
        start = int(rng.integers(1, 3000))
        end = start + int(rng.integers(1, 15))
        doi = f"10.{rng.integers(1000, 9999)}/rf.{w}" if rng.random() < 0.7 else ""
        abstract = abstracts[rng.integers(len(abstracts))] if rng.random() < 0.6 else ""
        for c in range(copies[w]):
            variant = rng.random(8)
            if variant[0] < 0.33:
                author_list = [f"{s}, {'. '.join(i)}." for s, i in authors]
            elif variant[0] < 0.66:
                author_list = [
                    "".join(f"{s} {'. '.join(i)}." for s, i in authors)
                ]  # glued, as some exports do
            else:
                author_list = [f"{'. '.join(i)}. {s}" for s, i in authors]
            row = {
                "title": title.upper()
                if variant[1] < 0.15
                else (title + "." if variant[1] < 0.5 else title),
                "authors": author_list,
                "year": year,
                "journal": _abbreviate(journal) if variant[2] < 0.4 else journal,
                "volume": volume,
                "pages": f"{start}-{str(end)[-len(str(end)) + len(str(start)) - 1 :]}"
                if variant[3] < 0.3 and end > 9
                else f"{start}-{end}",
                "page_start": str(start),
                "page_end": str(end),
                "doi": doi if variant[4] < 0.7 else "",
                "abstract": abstract if variant[5] < 0.7 else "",
                "publication_type": "journal article",
                "work": w,
            }
            if (
                c and variant[6] < 0.08
            ):  # online-first copy: a year early, no volume, provisional pages
                row.update(year=year - 1, volume="", pages="1-12", page_start="1", page_end="12")
            rows.append(row)
    order = rng.permutation(len(rows))[:n_records]
    rows = [
        rows[i]
        | {
            "source_file": "generated.ris",
            "source_index": k + 1,
            "record_id": f"generated.ris:{k + 1}",
            "source_id": f"g{k + 1}",
        }
        for k, i in enumerate(order)
    ]
    truth = [r.pop("work") for r in rows]
    records = to_frame(rows)
    records["work"] = truth
    return records


def write_set(n_records: int, seed: int, directory: Path) -> None:
    """In a child process: generate a set; write records.csv (the record table) and truth.csv."""
    from reviewflow.records import write_csv

    records = generate(n_records, seed)
    records[["record_id", "work"]].to_csv(directory / "truth.csv", index=False)
    write_csv(records.drop(columns="work"), directory / "records.csv")


def run_one(n_records: int, seed: int) -> dict:
    sys.path.insert(0, str(HERE))
    from _score import score
    from dedup_speed import timed

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        subprocess.run(
            [sys.executable, __file__, "--write", str(n_records), "--seed", str(seed), "--to", tmp],
            check=True,
        )
        wall, cpu, peak_mb, stdout = timed(
            [
                sys.executable,
                str(HERE / "dedup_speed.py"),
                "--steps",
                str(directory / "records.csv"),
                tmp,
            ]
        )
        imports, reading, dedup, writing = (float(x) for x in stdout.split())
        truth = pd.read_csv(directory / "truth.csv").set_index("record_id")["work"]
        clusters = pd.read_csv(directory / "clusters.csv", usecols=["record_id", "cluster_id"])
        predicted = clusters.set_index("record_id")["cluster_id"].reindex(truth.index)
    figures = score(pd.Series(truth.to_numpy()), pd.Series(predicted.to_numpy()))
    return {
        "records": len(truth),
        "works": int(truth.nunique()),
        "clusters": int(predicted.nunique()),
        "precision": figures["precision"],
        "recall": figures["recall"],
        "seconds": wall,
        "cpu": cpu,
        "peak_gb": peak_mb / 1024,
        "reading": reading,
        "dedup": dedup,
        "writing": writing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_set(args.write, args.seed, args.to)
        return
    print(
        f"{'records':>9} {'works':>9} {'clusters':>9} {'precision':>9} "
        f"{'recall':>7} {'seconds':>8} {'cpu':>8}"
        f" {'peak GB':>8} {'exponent':>8} | {'reading':>8} {'dedup':>8} {'writing':>8}"
    )
    previous = None
    for size in args.sizes:
        r = run_one(size, args.seed)
        exponent = ""
        if previous:
            growth = math.log(r["seconds"] / previous["seconds"])
            exponent = f"{growth / math.log(r['records'] / previous['records']):.2f}"
        print(
            f"{r['records']:>9} {r['works']:>9} {r['clusters']:>9} "
            f"{r['precision']:>9.4f} {r['recall']:>7.4f}"
            f" {r['seconds']:>8.1f} {r['cpu']:>8.1f} {r['peak_gb']:>8.2f} {exponent:>8} |"
            f" {r['reading']:>8.1f} {r['dedup']:>8.1f} {r['writing']:>8.1f}",
            flush=True,
        )
        previous = r
    print(
        "seconds, cpu, peak GB: the whole `reviewflow dedup` process "
        "on the record table (wall, user + system, "
        "peak RSS); reading, dedup, writing: its steps, seconds"
    )


if __name__ == "__main__":
    main()
