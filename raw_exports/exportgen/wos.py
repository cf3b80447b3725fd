"""Web of Science plain-text tagged export: "FN/VR" header, two-letter tags, "ER" and "EF"."""

from __future__ import annotations

from . import forms

DB = "WoS"
DT = {
    "review": "Review",
    "conference abstract": "Meeting Abstract",
    "erratum": "Correction",
    "letter": "Letter",
}


def _field(tag: str, values: list[str]) -> list[str]:
    return [f"{tag} {values[0]}"] + [f"   {v}" for v in values[1:]]


def record(work: dict, search_date: str) -> str:
    rng = forms.copy_rng(work, DB)
    authors = [(forms.wos_surname(s), forms.ascii_fold(g)) for s, g in forms.authors(work, DB)]
    lines = ["PT J"]
    lines += _field("AU", [f"{s}, {forms.initials(g)}" for s, g in authors])
    lines += _field("AF", [f"{s}, {forms.full_given(g)}" for s, g in authors])
    lines += _field("TI", forms.wrap(forms.wos_title(work), 70))
    lines.append(f"SO {work['journal'].upper()}")
    lines.append("LA English")
    lines.append(
        f"DT {DT.get(work['pubtype'], 'Article')}" + ("" if work["volume"] else "; Early Access")
    )
    if work["keywords"]:
        lines.append(f"DE {'; '.join(work['keywords'])}")
    if work["abstract"]:
        lines += _field("AB", forms.wrap(forms.spelled_greek(work["abstract"]), 70))
    cited = rng.randint(0, 90)
    lines += [
        f"NR {rng.randint(5, 60)}",
        f"TC {cited}",
        f"Z9 {cited + rng.randint(0, 5)}",
        "U1 0",
        "U2 3",
    ]
    lines.append(f"J9 {work['journal_abbrev'].upper()}")
    lines.append(f"JI {work['journal_iso']}")
    if work["month"] and work["volume"]:
        lines.append(f"PD {work['month'].upper()}")
    lines.append(f"PY {work['year']}")
    if work["volume"]:
        lines.append(f"VL {work['volume']}")
    if work["issue"]:
        lines.append(f"IS {work['issue']}")
    start, end = forms.split_pages(work["pages"])
    if start and forms.is_article_number(start):
        lines.append(f"AR {start}")
    elif start:
        lines += [f"BP {start}", f"EP {end or start}"]
    doi = forms.doi(work, DB)
    if doi:
        lines.append(f"DI {doi}")
    if not work["volume"]:  # early access: no issue yet, only the online month
        lines.append(f"EA {(work['month'] or 'JAN').upper()} {work['year']}")
    elif work["epub_year"]:
        lines.append(f"EA {rng.choice(['NOV', 'DEC'])} {work['epub_year']}")
    if start and end and start.isdigit() and end.isdigit():
        lines.append(f"PG {int(end) - int(start) + 1}")
    lines.append(f"UT {work['wos_id']}")
    if work["pmid"] and "MEDLINE" in work["databases"]:
        lines.append(f"PM {work['pmid']}")
    lines.append(f"DA {search_date}")
    lines.append("ER")
    return "\n".join(lines) + "\n"


def export(works: list[dict], search_date: str) -> str:
    return (
        "\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n"
        + "\n".join(record(w, search_date) for w in works)
        + "EF\n"
    )
