"""Where each stage writes its files, named once for the rules and the package.

The workflow's rules name their outputs from here (workflow/rules/common.smk), the
stages' commands write there, and ``reviewflow verify`` finds and re-derives them there:
a file renamed here is renamed everywhere. Paths are relative to the results directory.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

RESULTS = "results"
# The config the run uses: config/config.yaml with every --configfile merged over it.
CONFIG = "config.yaml"


@dataclass(frozen=True)
class Outputs:
    """One stage's files: the directory its command is given (``--out``, relative to the
    results directory) and each file's path in it, by the name the rule gives the output."""

    directory: str
    files: dict[str, str]

    def under(self, out) -> dict[str, Path]:
        """Each file in ``out``, the directory the stage's command was given."""
        return {key: Path(out) / name for key, name in self.files.items()}

    def results(self, root: str = RESULTS) -> dict[str, str]:
        """Each file's path under the results directory ``root``, as the rules name it."""
        return {
            key: posixpath.normpath(posixpath.join(root, self.directory, name))
            for key, name in self.files.items()
        }

    def path(self, key: str) -> str:
        """One file's path relative to the results directory (e.g. audit/ledger.csv)."""
        return self.results(".")[key]

    def out_dir(self, path, key: str) -> str:
        """The directory the stage's command is given, from where its file ``key`` is (``path``)."""
        return str(PurePosixPath(path).parents[len(PurePosixPath(self.files[key]).parts) - 1])

    def results_dir(self, path, key: str) -> str:
        """The results directory, from where the stage's file ``key`` is (``path``)."""
        return str(PurePosixPath(path).parents[len(PurePosixPath(self.path(key)).parts) - 1])


def records_table(export: str) -> str:
    """The normalised records table ingest writes for one export file."""
    return f"records/{export}.csv"


DEDUP = Outputs(
    "dedup",
    {
        "clusters": "clusters.csv",
        "pairs": "pairs.csv",
        "works": "works.csv",
        "possible": "possible_duplicates.csv",
        "related": "related.csv",
    },
)
# Screening writes into two directories, so its command is given the results directory.
SCREENING = Outputs(
    ".",
    {
        "ledger": "audit/ledger.csv",
        "pending": "screening/pending.csv",
        "pending_ris": "screening/pending.ris",
    },
)
# The PRISMA numbers, counted over the ledger (``reviewflow counts`` is given the file).
COUNTS = Outputs("prisma", {"counts": "counts.json"})
PRISMA = Outputs(
    "prisma",
    {
        "svg": "flow_diagram.svg",
        "png": "flow_diagram.png",
        "pdf": "flow_diagram.pdf",
        "html": "flow_diagram.html",
        "csv": "PRISMA.csv",
        "overlap": "database_overlap.csv",
        "overlap_svg": "database_overlap.svg",
        "overlap_png": "database_overlap.png",
    },
)
# Keyed by the risk-of-bias tools' keys (reviewflow.extraction.ROB_TOOLS).
EXTRACTION = Outputs(
    "extraction",
    {
        "extraction": "extraction.xlsx",
        "rob2": "rob2.xlsx",
        "robins_i": "robins_i.xlsx",
    },
)
TABLE1 = Outputs("extraction/example", {"csv": "table1.csv", "md": "table1.md"})
AUDIT = Outputs("audit", {"manifest": "manifest.json", "verify": "verify.txt"})
