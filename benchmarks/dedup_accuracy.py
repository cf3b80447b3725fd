"""Accuracy and speed of reviewflow's dedup against bib-dedupe on the labelled sets.

    PYTHONPATH=. python benchmarks/dedup_accuracy.py [BENCH_DIR] [--no-bib-dedupe]

For every set in BENCH_DIR (default ../shared/benchmarks/dedup): records.ris and
truth.csv (record_id,group_id; the RIS ID tag is the record id). Prints pairwise
precision, recall, F1, the number of predicted clusters mixing different groups,
and the wall time of each tool, side by side, in one run. bib-dedupe is the
optional `bench` extra (pip install ".[bench]"); both tools get the same records
and time only their deduplication (not file reading).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bib_dedupe import bib_dedupe_frame  # noqa: E402
from _score import score  # noqa: E402

from reviewflow.dedup import deduplicate  # noqa: E402
from reviewflow.ingest import read_export  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "dedup"


def run_reviewflow(ris: Path) -> tuple[pd.Series, float]:
    records = read_export(ris)
    started = time.perf_counter()
    result = deduplicate(records, {"progress": False})
    elapsed = time.perf_counter() - started
    return result.clusters.set_index("source_id")["cluster_id"], elapsed


def run_bib_dedupe(ris: Path) -> tuple[pd.Series, float]:
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    records = bib_dedupe_frame(ris)
    started = time.perf_counter()
    matched = match(block(prep(records, verbosity_level=0), verbosity_level=0), verbosity_level=0)
    groups = cluster(matched, verbosity_level=0)
    elapsed = time.perf_counter() - started
    label = {record_id: f"b{n}" for n, group in enumerate(groups) for record_id in group}
    return pd.Series({rid: label.get(rid, rid) for rid in records["ID"]}), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--no-bib-dedupe", action="store_true", help="only run reviewflow")
    args = parser.parse_args()
    tools = {"reviewflow": run_reviewflow}
    if not args.no_bib_dedupe:
        tools["bib-dedupe"] = run_bib_dedupe
    header = f"{'set':<20} {'tool':<11} {'records':>7} {'precision':>9} {'recall':>7} {'F1':>6} {'mixed':>5} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    for folder in sorted(p for p in Path(args.bench_dir).iterdir() if (p / "truth.csv").is_file()):
        truth = pd.read_csv(folder / "truth.csv", dtype=str).set_index("record_id")["group_id"]
        times = {}
        for name, run in tools.items():
            predicted, elapsed = run(folder / "records.ris")
            figures = score(truth, predicted.reindex(truth.index))
            times[name] = elapsed
            print(
                f"{folder.name:<20} {name:<11} {len(truth):>7} {figures['precision']:>9.4f} {figures['recall']:>7.4f}"
                f" {figures['f1']:>6.4f} {figures['mixed_clusters']:>5} {elapsed:>8.2f}"
            )
        if len(times) == 2:
            print(f"{folder.name:<20} speed-up: {times['bib-dedupe'] / times['reviewflow']:.1f}x")


if __name__ == "__main__":
    main()
