"""Deduplication speed as a user waits: the whole `reviewflow dedup` process against bib-dedupe's.

    python benchmarks/dedup_speed.py [BENCH_DIR] [--runs 5] [--sets dblp_acm ...] [--no-bib-dedupe]

For every set in BENCH_DIR (default ../shared/benchmarks/dedup), both tools
deduplicate records.ris from a fresh process, start to finish: `reviewflow
dedup records.ris --out DIR` (the console script of this Python's
environment, from bytecode as an installed package runs) and
benchmarks/_bib_dedupe.py (read the RIS, prep, block, match, cluster, merge,
write a CSV). Each run is timed by /usr/bin/time (wall time and peak resident
memory); the runs alternate between the tools so that load from other
processes falls on both alike; the figures are medians. A third process
per run does what the `dedup` command does step by step and times each step,
for reviewflow's breakdown: start-up (interpreter, site), imports, reading the
export, deduplicating, writing the tables. The load average is printed with
every set, since the figures are only as quiet as the machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent.parent / "shared" / "benchmarks" / "dedup"
STEPS = ("start-up", "imports", "reading", "dedup", "writing")


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one
    process, by /usr/bin/time, and its stdout."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *command],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
        wall, user, system, peak_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kb) / 1024, done.stdout


def steps(ris: str, out: str) -> None:
    """In a child process: the `dedup` command's work step by step; print each step's seconds."""
    started = time.perf_counter()
    import pandas as pd

    import reviewflow.cli  # noqa: F401  (what the console script imports)
    from reviewflow.dedup import deduplicate
    from reviewflow.dedup.output import read_records, write_tables

    imported = time.perf_counter()
    with reviewflow.cli.without_cycle_collector():
        records = pd.concat([read_records(ris)], ignore_index=True)
        read = time.perf_counter()
        result = deduplicate(records)
        deduplicated = time.perf_counter()
        write_tables(result, out)
        written = time.perf_counter()
    print(imported - started, read - imported, deduplicated - read, written - deduplicated)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per tool and set (median reported)"
    )
    parser.add_argument("--sets", nargs="+", help="only these sets (folder names)")
    parser.add_argument("--no-bib-dedupe", action="store_true", help="only run reviewflow")
    parser.add_argument("--steps", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps:
        steps(*args.steps)
        return
    reviewflow = str(Path(sys.executable).with_name("reviewflow"))
    # An installed package runs from bytecode (pip compiles it on install); a checkout
    # under PYTHONDONTWRITEBYTECODE would compile every module again in every run.
    import reviewflow as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    folders = sorted(p for p in Path(args.bench_dir).iterdir() if (p / "records.ris").is_file())
    if args.sets:
        folders = [p for p in folders if p.name in args.sets]
    print(
        f"{os.cpu_count()} cores, {load()}, {args.runs} runs per tool and set, medians; "
        "s = wall seconds, cpu = user + system seconds, MB = peak RSS",
        flush=True,
    )
    header = (
        f"{'set':<19} {'records':>7} {'reviewflow s':>12} {'cpu':>5} "
        f"{'MB':>4} {'bib-dedupe s':>12} {'cpu':>5}"
        f" {'MB':>4} {'ratio':>6} |" + "".join(f" {s:>8}" for s in STEPS) + f" {'read rec/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for folder in folders:
        ris = str(folder / "records.ris")
        records = sum(1 for line in open(ris, encoding="utf-8-sig") if line.startswith("TY  -"))
        runs: dict[str, list[tuple[float, float, float]]] = {"reviewflow": [], "bib-dedupe": []}
        breakdown = []
        with tempfile.TemporaryDirectory() as tmp:
            commands = {
                "reviewflow": [reviewflow, "dedup", ris, "--out", f"{tmp}/rf"],
                "bib-dedupe": [sys.executable, str(HERE / "_bib_dedupe.py"), ris, f"{tmp}/bd.csv"],
            }
            if args.no_bib_dedupe:
                del commands["bib-dedupe"]
            for run in range(args.runs):
                for tool in list(commands)[:: 1 if run % 2 == 0 else -1]:
                    runs[tool].append(timed(commands[tool])[:3])
                wall, _, _, stdout = timed(
                    [sys.executable, __file__, "--steps", ris, f"{tmp}/steps"]
                )
                steps_seconds = [float(x) for x in stdout.split()]
                breakdown.append([wall - sum(steps_seconds), *steps_seconds])
        figures = {
            tool: [statistics.median(column) for column in zip(*tool_runs)]
            for tool, tool_runs in runs.items()
            if tool_runs
        }
        line = f"{folder.name:<19} {records:>7} " + "{:>12.2f} {:>5.2f} {:>4.0f}".format(
            *figures["reviewflow"]
        )
        if "bib-dedupe" in figures:
            line += " {:>12.2f} {:>5.2f} {:>4.0f}".format(*figures["bib-dedupe"])
            line += f" {figures['bib-dedupe'][0] / figures['reviewflow'][0]:>5.1f}x"
        else:
            line += " " * 31
        step_medians = [statistics.median(column) for column in zip(*breakdown)]
        print(
            line
            + " |"
            + "".join(f" {s:>8.3f}" for s in step_medians)
            + f" {records / step_medians[2]:>10.0f}   ({load()})",
            flush=True,
        )
    print(
        "steps: reviewflow's median seconds per step, from a process "
        "doing what `reviewflow dedup` does; "
        f"start-up is that process's wall time less its timed steps (interpreter, site); {load()}"
    )


if __name__ == "__main__":
    main()
