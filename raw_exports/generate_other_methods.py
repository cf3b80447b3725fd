"""Rebuild the other-methods example: the embedded review with trial registers and citation
searching.

The original round's five database searches, plus a ClinicalTrials.gov and a WHO ICTRP
search and a citation-searching list (see raw_exports/README.md, "The other-methods
example"). Built by the ``exportgen`` package beside this script. Deterministic.

    python raw_exports/generate_other_methods.py [--out DIR]

writes, under DIR (default: the repository root), raw_exports/other_methods/
{clinicaltrials_gov.csv, ictrp.xml, citation_searching.ris} and
config/screening/other_methods_title_abstract.csv and other_methods_full_text.csv.
"""

import sys

from exportgen import main, other_methods_files

if __name__ == "__main__":
    sys.exit(main(other_methods_files, __doc__))
