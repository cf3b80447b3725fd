"""PubMed's MEDLINE (.nbib) format: tag, padded to four, "- ", value; wrapped at 82 columns."""

from __future__ import annotations

from . import forms
from .vocabulary import SYNTHETIC_NOTE

DB = "MEDLINE"


def _field(tag: str, text: str) -> list[str]:
    lines = forms.wrap(text, 76)
    out = [f"{tag:<4}- {lines[0]}"] + [f"      {line}" for line in lines[1:]]
    return [
        line + " " if i < len(out) - 1 else line for i, line in enumerate(out)
    ]  # PubMed's trailing spaces


def _types(work: dict) -> list[str]:
    types = {
        "review": ["Journal Article", "Review"],
        "case report": ["Case Reports", "Journal Article"],
        "erratum": ["Published Erratum"],
        "letter": ["Letter"],
    }.get(work["pubtype"], ["Journal Article"])
    if "trial" in work["title"].lower() and work["pubtype"] == "article":
        types = ["Journal Article", "Randomized Controlled Trial"]
    return types


def _source(work: dict, doi: str) -> str:
    source = (
        f"{work['journal_abbrev']}. {work['year']}{' ' + work['month'] if work['month'] else ''}"
    )
    if work["volume"]:
        source += f";{work['volume']}" + (f"({work['issue']})" if work["issue"] else "")
    if work["pages"]:
        source += f":{forms.short_pages(work['pages'])}"
    return source + "." + (f" doi: {doi}." if doi else "")


def record(work: dict) -> str:
    doi = forms.doi(work, DB)
    status = (
        "STAT- MEDLINE" if work["kind"] == "synthetic" or work["year"] < 2024 else "STAT- Publisher"
    )
    lines = [f"PMID- {work['pmid']}", "OWN - NLM", status]
    if work["volume"]:
        lines.append(f"VI  - {work['volume']}")
    if work["issue"]:
        lines.append(f"IP  - {work['issue']}")
    lines.append(f"DP  - {work['year']}{' ' + work['month'] if work['month'] else ''}")
    lines += _field("TI", forms.medline_title(work["title"]))
    if work["pages"]:
        lines.append(f"PG  - {forms.short_pages(work['pages'])}")
    if doi:
        lines.append(f"LID - {doi} [doi]")
    abstract = forms.abstract(work, DB)
    if abstract:
        lines += _field("AB", forms.spelled_greek(abstract))
    for surname, given in forms.authors(work, DB):
        lines.append(
            f"FAU - {surname}, {' '.join(given) if given.isupper() and ' ' not in given else given}"
        )
        lines.append(f"AU  - {surname} {forms.initials(given)}")
    lines.append("LA  - eng")
    lines += [f"PT  - {t}" for t in _types(work)]
    if work["kind"] == "synthetic":
        lines += _field("GN", SYNTHETIC_NOTE)
    lines.append(f"TA  - {work['journal_abbrev']}")
    lines.append(f"JT  - {work['journal'][0] + work['journal'][1:].lower()}")
    lines.append("SB  - IM")
    if doi:
        lines.append(f"AID - {doi} [doi]")
    lines.append("PST - ppublish")
    lines += _field("SO", _source(work, doi))
    return "\n".join(lines) + "\n"


def export(works: list[dict], search_date: str) -> str:
    return "\n".join(record(w) for w in works) + "\n"
