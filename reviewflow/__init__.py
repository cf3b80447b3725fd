"""reviewflow: a systematic review from database exports to PRISMA 2020 counts."""

__version__ = "0.1.0"

import csv as _csv
import sys as _sys

# A Scopus export with its References column has cells of several megabytes, which
# the csv module's default field limit (128 KB) refuses. The limit is process-wide,
# so it is raised once here for every reader of delimited text: exports, decision
# files, screening-tool exports, extraction sheets.
_csv.field_size_limit(min(_sys.maxsize, 2**31 - 1))
