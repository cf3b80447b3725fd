"""Generators of the embedded review's raw exports (see raw_exports/README.md).

Split by concern: ``vocabulary`` and ``works`` (what the works are), ``forms``
(how each database writes a work), one writer per export format (``medline``,
``embase``, ``central``, ``wos``, ``scopus``), and the assembly of each round
(``assemble``, ``update``, and the other-methods example's ``other_methods``). Everything is a pure
function of a seed.
"""

from .assemble import (
    DATABASES,
    EXPORTS,
    FT_DECISIONS,
    TA_DECISIONS,
    TRUTH,
    main,
    original_files,
    write,
)
from .forms import decision_id
from .other_methods import other_methods_files
from .update import UPDATE_EXPORTS, update_files
from .works import SEED, load_real, original_works

__all__ = [
    "DATABASES",
    "EXPORTS",
    "FT_DECISIONS",
    "SEED",
    "TA_DECISIONS",
    "TRUTH",
    "UPDATE_EXPORTS",
    "decision_id",
    "load_real",
    "main",
    "original_files",
    "original_works",
    "other_methods_files",
    "update_files",
    "write",
]
