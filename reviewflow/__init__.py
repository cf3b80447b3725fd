"""reviewflow: a systematic review from database exports to PRISMA 2020 counts.

Beside the ``reviewflow`` command, each stage is a function (docs/api.md):
``load_config``, ``DedupSettings`` (config); ``read_export``, ``write_records``,
``read_records`` (ingest); ``read_overrides``, ``deduplicate``, ``write_dedup_tables``
(dedup); ``screen`` (screening); ``counts_from_ledger``, ``write_counts_of``,
``write_prisma`` (PRISMA); ``write_manifest``, ``verify`` (audit). The tables they pass
on are described in docs/contracts.md.
"""

__version__ = "0.1.0"

import csv as _csv
import sys as _sys

from reviewflow.errors import ReviewflowError

# A Scopus export with its References column has cells of several megabytes, which
# the csv module's default field limit (128 KB) refuses. The limit is process-wide,
# so it is raised once here for every reader of delimited text: exports, decision
# files, screening-tool exports, extraction sheets.
_csv.field_size_limit(min(_sys.maxsize, 2**31 - 1))

# The API: name -> (module, name there). Imported on first use, so that `import
# reviewflow`, and with it every command's start-up, pays for no stage it does not run.
_API = {
    "load_config": ("reviewflow.config", "load"),
    "DedupSettings": ("reviewflow.config", "DedupSettings"),
    "read_export": ("reviewflow.ingest", "read_export"),
    "write_records": ("reviewflow.records", "write_csv"),
    "read_records": ("reviewflow.dedup.output", "read_records"),
    "read_overrides": ("reviewflow.dedup.overrides", "read_overrides"),
    "deduplicate": ("reviewflow.dedup", "deduplicate"),
    "write_dedup_tables": ("reviewflow.dedup.output", "write_tables"),
    "screen": ("reviewflow.screening.run", "screen"),
    "counts_from_ledger": ("reviewflow.prisma.counts", "counts_from_ledger"),
    "write_counts_of": ("reviewflow.prisma.counts", "write_counts_of"),
    "write_prisma": ("reviewflow.prisma.outputs", "write_prisma"),
    "write_manifest": ("reviewflow.audit.manifest", "write_manifest"),
    "verify": ("reviewflow.audit.verify", "verify"),
}

__all__ = ["ReviewflowError", *_API]


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'reviewflow' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _API[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # the next look-up is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
