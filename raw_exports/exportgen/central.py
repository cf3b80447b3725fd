"""Cochrane Library CENTRAL RIS, EndNote flavour: "Record #i of n" headers, "TAG  -  value"."""

from __future__ import annotations

from . import forms
from .vocabulary import SYNTHETIC_NOTE

DB = "CENTRAL"
HEADER = (
    "Record #{i} of {n}\nProvider: John Wiley & Sons, "
    'Ltd.\nContent: text/plain; charset="UTF-8"\n\n'
)


def record(work: dict) -> str:
    lines = ["TY  -  JOUR", f"AN  -  {work['cn_id']}"]
    lines += [f"AU  -  {name}" for name in forms.central_authors(work)]
    lines.append(f"TI  -  {forms.central_title(work)}")
    journal = (
        work["journal"][0] + work["journal"][1:].lower()
        if "MEDLINE" in work["databases"]
        else work["journal"]
    )
    lines.append(f"JA  -  {journal}")
    lines.append(f"PY  -  {work['year']}")
    if work["volume"]:
        lines.append(f"VL  -  {work['volume']}")
    if work["issue"]:
        lines.append(f"IS  -  {work['issue']}")
    if work["pages"]:
        lines.append(f"SP  -  {work['pages'].replace('-', chr(0x2010))}")
    ids = []
    if work["pmid"] and "MEDLINE" in work["databases"]:
        ids.append(f"PUBMED {work['pmid']}")
    if "Embase" in work["databases"]:
        ids.append(f"EMBASE {work['embase_id'][1:]}")
    lines.append(f"C3  -  {','.join(ids)}")
    lines.append(
        "M3  -  "
        + (
            "Conference proceeding"
            if work["pubtype"] == "conference abstract"
            else "Journal article"
        )
    )
    lines += [f"KW  -  {k[0].upper() + k[1:]}" for k in work["keywords"]]
    doi = forms.doi(work, DB)
    if doi:
        lines.append(f"DO  -  {doi}")
    abstract = forms.abstract(work, DB)
    if abstract:
        lines.append(f"AB  -  {abstract}")
    if work["kind"] == "synthetic":
        lines.append(f"N1  -  {SYNTHETIC_NOTE}")
    lines.append(
        f"UR  -  https://www.cochranelibrary.com/central/doi/10.1002/central/{work['cn_id']}/full"
    )
    lines.append("ER  -  ")
    return "\n".join(lines) + "\n"


def export(works: list[dict], search_date: str) -> str:
    n = len(works)
    return (
        "\n\n".join(HEADER.format(i=i, n=n) + record(w) for i, w in enumerate(works, start=1))
        + "\n"
    )
