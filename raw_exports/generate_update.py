"""Rebuild the update round of the embedded review: the same five searches re-run on 30 June 2025.

Re-exported records of the original round's 2024 works, as the databases that
re-index them write them again, and new SYNTHETIC works (see raw_exports/README.md,
"The update round"). Built by the ``exportgen`` package beside this script, with the
same writers as the original round. Deterministic (fixed seed, no clock).

    python raw_exports/generate_update.py [--out DIR]

writes, under DIR (default: the repository root), raw_exports/update/{medline.nbib,
embase.ris, cochrane_central.ris, wos.txt, scopus.csv}, tests/data/update_truth.csv and
config/screening/update_title_abstract.csv and update_full_text.csv.
"""

import sys

from exportgen import main, update_files

if __name__ == "__main__":
    sys.exit(main(update_files, __doc__))
