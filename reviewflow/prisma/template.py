"""The PRISMA2020 R package / Shiny app's input template, and our numbers in it.

TEMPLATE is that package's inst/extdata/PRISMA.csv (prisma-flowdiagram/PRISMA2020
at 620aaf9, MIT licence), verbatim. PRISMA.csv is written so that both the CRAN
release (1.1.1) and the repository's 1.1.4 draw it, in the app and through
``PRISMA_data()``/``PRISMA_flowdiagram()``:

- no ``total_studies_ma``/``total_reports_ma`` rows: 1.1.1 finds the total box by
  ``grep("total_studies")``, which also matches them (1.1.4 falls back to 0);
- every row has an n, as the template has: a blank n is NA to the package (the box
  disappears) and, for ``register_specific_results``, breaks the app's upload path;
- a first round's box texts say "studies" where the template says "new studies",
  as reviewflow's own diagram does (the package draws ``boxtext``).
"""

from __future__ import annotations

import io
import logging

import pandas as pd

from reviewflow.config import METHODS, in_config_order
from reviewflow.prisma.layout import reasons_by_count
from reviewflow.safe import safe_frame

COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
# Rows that label the diagram rather than count: the template's n stays.
LABELS = ("NA", "identification", "screening", "included")
# Fields whose n is text of the form "Name, n; Name, n".
LISTED = (
    "database_specific_results",
    "register_specific_results",
    "dbr_excluded",
    "other_excluded",
)
# Rows the CRAN release's template does not have (see the module docstring).
META_ANALYSIS = ("total_studies_ma", "total_reports_ma")
# The package splits a listed n at every ";" and ends a name at its first ",", so a
# name keeps those characters as their full-width forms, which read the same.
LIST_SAFE = str.maketrans({",": "\uff0c", ";": "\uff1b"})
# A first round's wording (the template's is an updated review's).
FIRST_ROUND_WORDING = {
    "Identification of new studies": "Identification of studies",
    "New studies included in review": "Studies included in review",
    "Reports of new included studies": "Reports of included studies",
}

log = logging.getLogger(__name__)

TEMPLATE = """data,node,box,description,boxtext,tooltips,url,n
NA,node4,prevstud,Grey title box; Previous studies,Previous studies,Grey title box; Previous studies,prevstud.html,0
previous_studies,node5,box1,Studies included in previous version of review,Studies included in previous version of review,Studies included in previous version of review,previous_studies.html,0
previous_reports,NA,box1,Reports of studies included in previous version of review,Reports of studies included in previous version of review,NA,previous_reports.html,0
NA,node6,newstud,Yellow title box; Identification of new studies via databases and registers,Identification of new studies via databases and registers,Yellow title box; Identification of new studies via databases and registers,newstud.html,0
database_results,node7,box2,Records identified from: Databases,Databases,Records identified from: Databases and Registers,database_results.html,0
database_specific_results,NA,box2,Records identified from: specific databases,Specific Databases,NA,database_results.html,"Database 1, xxx; Database 2, xxx; Database 3, xxx"
register_results,NA,box2,Records identified from: Registers,Registers,NA,NA,0
register_specific_results,NA,box2,Records identified from: specific registers,Specific Registers,NA,database_results.html,"Register 1, xxx; Register 2, xxx; Register 3, xxx"
NA,node16,othstud,Grey title box; Identification of new studies via other methods,Identification of new studies via other methods,Grey title box; Identification of new studies via other methods,othstud.html,0
website_results,node17,box11,Records identified from: Websites,Websites,"Records identified from: Websites, Organisations and Citation Searching",website_results.html,0
organisation_results,,box11,Records identified from: Organisations,Organisations,NA,NA,0
citations_results,NA,box11,Records identified from: Citation searching,Citation searching,NA,NA,0
duplicates,node8,box3,Duplicate records,Duplicate records,Duplicate records,duplicates.html,0
excluded_automatic,NA,box3,Records marked as ineligible by automation tools,Records marked as ineligible by automation tools,NA,NA,0
excluded_other,NA,box3,Records removed for other reasons,Records removed for other reasons,NA,NA,0
records_screened,node9,box4,Records screened (databases and registers),Records screened,Records screened (databases and registers),records_screened.html,0
records_excluded,node10,box5,Records excluded (databases and registers),Records excluded,Records excluded (databases and registers),records_excluded.html,0
dbr_sought_reports,node11,box6,Reports sought for retrieval (databases and registers),Reports sought for retrieval,Reports sought for retrieval (databases and registers),dbr_sought_reports.html,0
dbr_notretrieved_reports,node12,box7,Reports not retrieved (databases and registers),Reports not retrieved,Reports not retrieved (databases and registers),dbr_notretrieved_reports.html,0
other_sought_reports,node18,box12,Reports sought for retrieval (other),Reports sought for retrieval,Reports sought for retrieval (other),other_sought_reports.html,0
other_notretrieved_reports,node19,box13,Reports not retrieved (other),Reports not retrieved,Reports not retrieved (other),other_notretrieved_reports.html,0
dbr_assessed,node13,box8,Reports assessed for eligibility (databases and registers),Reports assessed for eligibility,Reports assessed for eligibility (databases and registers),dbr_assessed.html,0
dbr_excluded,node14,box9,"Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",Reports excluded,Reports excluded (databases and registers),dbrexcludedrecords.html,"Reason1, xxx; Reason2, xxx; Reason3, xxx"
other_assessed,node20,box14,Reports assessed for eligibility (other),Reports assessed for eligibility,Reports assessed for eligibility (other),other_assessed.html,0
other_excluded,node21,box15,"Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",Reports excluded,Reports excluded (other),other_excluded.html,"Reason1, xxx; Reason2, xxx; Reason3, xxx"
new_studies,node15,box10,New studies included in review,New studies included in review,New studies included in review,new_studies.html,0
new_reports,NA,box10,Reports of new included studies,Reports of new included studies,NA,NA,0
total_studies,node22,box16,Total studies included in review,Total studies included in review,Total studies included in review,total_studies.html,0
total_reports,NA,box16,Reports of total included studies,Reports of total included studies,NA,NA,0
identification,node1,identification,Blue identification box,Identification,Blue identification box,identification.html,0
screening,node2,screening,Blue screening box,Screening,Blue screening box,screening.html,0
included,node3,included,Blue included box,Included,Blue included box,included.html,0
total_studies_ma,node23,box17,Total studies included in meta-analysis,Total studies included in meta-analysis,Total studies included in meta-analysis,total_studies_meta_analysis.html,0
total_reports_ma,NA,box17,Reports of total included studies in meta-analysis,Reports of total included studies in meta-analysis,NA,NA,0"""


def template() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(TEMPLATE), dtype=str, keep_default_na=False)


def listed(values: dict[str, int], field: str) -> str:
    """``{"MEDLINE": 301, ...}`` as "MEDLINE, 301; ..." (the app splits on ; then ,); a
    comma or semicolon in a name is written full-width (LIST_SAFE). No entries: "0"."""
    items = []
    for name, n in values.items():
        safe = name.translate(LIST_SAFE)
        if safe != name:
            log.warning(
                "PRISMA.csv %s: %r is written %r (the PRISMA2020 package splits names at , and ;)",
                field,
                name,
                safe,
            )
        items.append(f"{safe}, {n}")
    return "; ".join(items) or "0"


def prisma_table(counts: dict, databases: list[str]) -> pd.DataFrame:
    """The template with n filled from ``counts``; a field we do not count keeps the
    template's n (0, or its placeholder text for a list)."""
    table = template()
    table = table[~table["data"].isin(META_ANALYSIS)].reset_index(drop=True)
    per_db = counts.get("database_specific_results", {})
    values = dict(counts)
    values["database_specific_results"] = {
        db: per_db.get(db, 0) for db in in_config_order(databases, per_db)
    }
    values["dbr_excluded"] = dict(reasons_by_count(counts))
    if "other_excluded" in counts:
        values["other_excluded"] = dict(reasons_by_count(counts, "other_excluded"))

    def n(row):
        key = row["data"]
        if key in LABELS or key not in values:
            return row["n"]
        return listed(values[key], key) if key in LISTED else str(int(values[key]))

    table["n"] = table.apply(n, axis=1)
    # An other-methods box names the methods it counts ("Citation searching and
    # hand-searching"): the package draws boxtext.
    for field, names in _methods_by_field(counts.get("other_specific_results", {})).items():
        text = " and ".join(names)
        table.loc[table["data"] == field, "boxtext"] = text[0].upper() + text[1:]
    if "previous_studies" not in counts:
        for column in ("boxtext", "tooltips"):
            for template_text, ours in FIRST_ROUND_WORDING.items():
                table[column] = table[column].str.replace(template_text, ours, regex=False)
    return table


def _methods_by_field(found: dict[str, int]) -> dict[str, list[str]]:
    """Template field -> the other methods (in config order) whose records it counts."""
    fields: dict[str, list[str]] = {}
    for method in found:
        fields.setdefault(METHODS[method], []).append(method)
    return fields


def write_prisma_csv(counts: dict, databases: list[str], path) -> None:
    safe_frame(prisma_table(counts, databases)).to_csv(path, index=False, lineterminator="\n")
