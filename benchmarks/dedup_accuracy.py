"""Accuracy of reviewflow's dedup against bib-dedupe on the labelled sets.

    PYTHONPATH=. python benchmarks/dedup_accuracy.py [BENCH_DIR] [--no-bib-dedupe]

For every set in BENCH_DIR (default ../shared/benchmarks/dedup): records.ris and
truth.csv (record_id,group_id; the RIS ID tag is the record id). Prints pairwise
precision and recall twice, side by side, for both tools in one run:
- "published": against the labels as published;
- "policy": leaving out the labelled pairs whose records' own metadata shows an
  erratum/correction and its article, a letter and its reply, a comment and its
  article, a meeting abstract and its full paper, the abstracts of one study at
  two meetings (numbered supplements of two journals), or registrations of different
  trials (reviewflow.dedup.pair_relations: the rule the engine links notices
  with, the same for every set). Each left-out pair is printed with its class.
Also the number of predicted clusters mixing groups, the time of the dedup call
alone (not reading files), the possible-duplicates list's length and how many of
the remaining (policy) misses it holds, and the pooled figures. bib-dedupe is the
optional `bench` extra (pip install ".[bench]").
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bib_dedupe import bib_dedupe_frame  # noqa: E402
from _score import group_pairs, pair_score, score  # noqa: E402

from reviewflow.dedup import deduplicate, pair_relations  # noqa: E402
from reviewflow.ingest import read_export  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "dedup"


def run_reviewflow(records: pd.DataFrame, ris: Path) -> tuple[pd.Series, float, set]:
    started = time.perf_counter()
    result = deduplicate(records)
    elapsed = time.perf_counter() - started
    source = dict(zip(records["record_id"], records["source_id"]))
    listed = {
        tuple(sorted((source[x], source[y])))
        for x, y in zip(result.possible["record_a"], result.possible["record_b"])
    }
    return result.clusters.set_index("source_id")["cluster_id"], elapsed, listed


def run_bib_dedupe(records: pd.DataFrame, ris: Path) -> tuple[pd.Series, float, set]:
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    frame = bib_dedupe_frame(ris)
    started = time.perf_counter()
    matched = match(block(prep(frame, verbosity_level=0), verbosity_level=0), verbosity_level=0)
    groups = cluster(matched, verbosity_level=0)
    elapsed = time.perf_counter() - started
    label = {record_id: f"b{n}" for n, group in enumerate(groups) for record_id in group}
    return pd.Series({rid: label.get(rid, rid) for rid in frame["ID"]}), elapsed, set()


def left_out_pairs(records: pd.DataFrame, true_pairs: set) -> dict[tuple[str, str], str]:
    """Labelled pairs whose metadata shows a relation the policy keeps apart -> its class."""
    record_of = dict(zip(records["source_id"], records["record_id"]))
    pairs = sorted(true_pairs)
    found = pair_relations(
        records, [record_of[x] for x, _ in pairs], [record_of[y] for _, y in pairs]
    )
    return {pair: relation for pair, relation in zip(pairs, found) if relation}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--no-bib-dedupe", action="store_true", help="only run reviewflow")
    args = parser.parse_args()
    tools = {"reviewflow": run_reviewflow}
    if not args.no_bib_dedupe:
        tools["bib-dedupe"] = run_bib_dedupe
    header = (
        f"{'set':<19} {'tool':<10} {'records':>7} {'P publ':>7} "
        f"{'R publ':>7} {'P policy':>8} {'R policy':>8}"
        f" {'mixed':>5} {'dedup s':>7}"
    )
    print(header)
    print("-" * len(header))
    pooled = {name: collections.Counter() for name in tools}
    pooled_list = collections.Counter()
    notes = []
    for folder in sorted(p for p in Path(args.bench_dir).iterdir() if (p / "truth.csv").is_file()):
        truth = pd.read_csv(folder / "truth.csv", dtype=str).set_index("record_id")["group_id"]
        records = read_export(folder / "records.ris")
        true_pairs = group_pairs(truth)
        left_out = left_out_pairs(records, true_pairs)
        for name, run in tools.items():
            predicted, elapsed, listed = run(records, folder / "records.ris")
            predicted = predicted.reindex(truth.index)
            published = score(truth, predicted)
            policy = pair_score(true_pairs, group_pairs(predicted), set(left_out))
            for kind, figures in (("published", published), ("policy", policy)):
                for count in ("hits", "true_pairs", "predicted_pairs"):
                    pooled[name][f"{kind}_{count}"] += figures[count]
            print(
                f"{folder.name:<19} {name:<10} {len(truth):>7} "
                f"{published['precision']:>7.4f} {published['recall']:>7.4f}"
                f" {policy['precision']:>8.4f} {policy['recall']:>8.4f} "
                f"{published['mixed_clusters']:>5} {elapsed:>7.2f}"
            )
            if name == "reviewflow":
                misses = (true_pairs - set(left_out)) - group_pairs(predicted)
                work = predicted.to_dict()
                listed_works = {frozenset((work[x], work[y])) for x, y in listed}
                held = sum(frozenset((work[x], work[y])) in listed_works for x, y in misses)
                pooled_list.update(
                    records=len(truth), listed=len(listed), misses=len(misses), held=held
                )
                notes.append(
                    f"{folder.name}: possible duplicates {len(listed)} "
                    f"({100 * len(listed) / len(truth):.2f} per 100"
                    f" records), holding {held} of {len(misses)} remaining misses"
                )
                counts = collections.Counter(left_out.values())
                notes.append(
                    f"{folder.name}: left out {len(left_out)} labelled pairs: "
                    + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
                )
                notes.extend(
                    f"    {relation:<16} {x}  {y}" for (x, y), relation in sorted(left_out.items())
                )
    print("-" * len(header))
    for name, c in pooled.items():
        figures = [
            c[f"{kind}_hits"] / c[f"{kind}_{den}"] if c[f"{kind}_{den}"] else 1.0
            for kind in ("published", "policy")
            for den in ("predicted_pairs", "true_pairs")
        ]
        print(
            f"{'pooled':<19} {name:<10} {'':>7} {figures[0]:>7.4f} "
            f"{figures[1]:>7.4f} {figures[2]:>8.4f} {figures[3]:>8.4f}"
        )
    print()
    print("\n".join(notes))
    print(
        f"pooled: possible duplicates {pooled_list['listed']} "
        f"({100 * pooled_list['listed'] / max(pooled_list['records'], 1):.2f}"
        f" per 100 records), holding {pooled_list['held']} of "
        f"{pooled_list['misses']} remaining misses"
    )


if __name__ == "__main__":
    main()
