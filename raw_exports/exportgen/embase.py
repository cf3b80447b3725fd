"""Embase.com RIS: "TAG  - value", authors "Surname, I.N.", ids in U2/C5, "ER  - " closing."""

from __future__ import annotations

from . import forms
from .vocabulary import SYNTHETIC_NOTE

DB = "Embase"
M3 = {
    "review": "Review",
    "conference abstract": "Conference Abstract",
    "erratum": "Erratum",
    "letter": "Letter",
}


def record(work: dict) -> str:
    lines = ["TY  - CONF" if work["pubtype"] == "conference abstract" else "TY  - JOUR"]
    lines.append(
        "M3  - " + (M3.get(work["pubtype"], "Article") if work["volume"] else "Article in Press")
    )
    lines.append(f"Y1  - {forms.record_year(work, DB)}")
    if work["volume"]:
        lines.append(f"VL  - {work['volume']}")
    if work["issue"]:
        lines.append(f"IS  - {forms.embase_issue(work['issue'])}")
    start, end = forms.split_pages(work["pages"])
    if start:
        lines.append(f"SP  - {start}")
    if end:
        lines.append(f"EP  - {end}")
    lines.append(f"JF  - {work['journal']}")
    lines.append(f"JO  - {work['journal_iso']}")
    lines.append(
        "UR  - "
        f"https://www.embase.com/search/results?subaction=viewrecord&id={work['embase_id']}&from=export"
    )
    lines.append(f"U2  - {work['embase_id']}")
    if work["pmid"] and "MEDLINE" in work["databases"]:
        lines.append(f"C5  - {work['pmid']}")
    lines.append("DB  - Embase")
    if "MEDLINE" in work["databases"]:
        lines.append("DB  - Medline")
    doi = forms.doi(work, DB)
    if doi:
        lines.append(f"L2  - http://dx.doi.org/{doi}")
        lines.append(f"DO  - {doi}")
    for surname, given in forms.authors(work, DB):
        surname, given = forms.embase_author(work, surname, given)
        lines.append(f"A1  - {surname}, {'.'.join(forms.initials(given))}.")
    lines.append(f"T1  - {forms.embase_title(work['title'])}")
    lines.append("LA  - English")
    lines += [f"KW  - {k}" for k in work["keywords"]]
    abstract = forms.abstract(work, DB)
    if abstract:
        lines.append(f"N2  - {abstract}")
    if work["kind"] == "synthetic":
        lines.append(f"N1  - {SYNTHETIC_NOTE}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def export(works: list[dict], search_date: str) -> str:
    return "\n".join(record(w) for w in works) + "\n"
