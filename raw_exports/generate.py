"""Rebuild the embedded reference review's raw database exports.

The exports of Koczanowski et al. 2024 (IVIG in systemic sclerosis) are not
public, so this script reconstructs them: 1482 records of 418 works written in
the native export formats of MEDLINE, Embase, Cochrane CENTRAL, Web of Science
and Scopus, each database writing a work its own way (see raw_exports/README.md).
26 works are real (raw_exports/sources/real_works.csv); the other 392 are
SYNTHETIC stand-ins, marked as such in every copy. The work is done by the
``exportgen`` package beside this script.

Deterministic: a fixed seed, no clock; rerunning writes byte-identical files.

    python raw_exports/generate.py [--out DIR]

writes, under DIR (default: the repository root), the five exports in
raw_exports/, the ground truth tests/data/embedded_truth.csv and the decisions
config/screening/title_abstract.csv and full_text.csv.
"""

import sys

from exportgen import main, original_files

if __name__ == "__main__":
    sys.exit(main(original_files, __doc__))
