"""bib-dedupe as the benchmarks run it: the RIS read into its fields, and its whole process.

    python benchmarks/_bib_dedupe.py RECORDS.ris OUT.csv

does what a bib-dedupe user does with an export: read the file, prep, block,
match, cluster, merge, write the merged records. dedup_speed.py times this
process as a whole. Nothing of reviewflow is imported here, so that the
comparison charges bib-dedupe only for its own start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import rispy


def bib_dedupe_frame(ris: Path) -> pd.DataFrame:
    """The RIS as bib-dedupe's BibTeX-like fields, with the source strings untouched."""
    rows = []
    for entry in rispy.loads(Path(ris).read_text(encoding="utf-8-sig"), skip_unknown_tags=True):
        pages = "--".join(p for p in (entry.get("start_page"), entry.get("end_page")) if p)
        rows.append(
            {
                "ID": entry.get("id", ""),
                "ENTRYTYPE": "inproceedings"
                if entry.get("type_of_reference") == "CPAPER"
                else "article",
                "author": " and ".join(entry.get("authors") or entry.get("first_authors") or []),
                "title": entry.get("title") or entry.get("primary_title") or "",
                "year": str(entry.get("year") or entry.get("publication_year") or ""),
                "journal": entry.get("secondary_title") or entry.get("journal_name") or "",
                "volume": entry.get("volume", ""),
                "number": entry.get("number", ""),
                "pages": pages,
                "doi": entry.get("doi", ""),
                "abstract": entry.get("abstract", ""),
            }
        )
    return pd.DataFrame(rows)


def main(ris: str, out: str) -> None:
    from bib_dedupe.bib_dedupe import block, cluster, match, merge, prep

    records = bib_dedupe_frame(Path(ris))
    matched = match(block(prep(records, verbosity_level=0), verbosity_level=0), verbosity_level=0)
    groups = cluster(matched, verbosity_level=0)
    merge(records, duplicate_id_sets=groups, verbosity_level=0).to_csv(out, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
