"""A trial-register entry as a normal record, the same way for every register.

The registers' downloads differ in layout but describe a trial with the same
few facts: its ID, a public and a scientific title, sponsors, conditions,
interventions, a registration date, a status, a URL and the trial's other
IDs. ``row`` maps those facts onto reviewflow.records.COLUMNS: the public title
is the title (the brief title ClinicalTrials.gov shows and CENTRAL copies),
sponsors are the authors, conditions and interventions the keywords, the
registration year the year, the register the journal; the scientific title,
status, registration date, URL and IDs that are no register's go to notes.
"""

from __future__ import annotations

import re
from datetime import date

from reviewflow.ingest import fields, trial_ids

_TAG = re.compile(r"<\s*/?\s*(?:br|p)\s*/?\s*>", re.IGNORECASE)
# Registers type an intervention ahead of its name ("DRUG: aspirin",
# "Dietary Supplement: vitamin D"); the name is the keyword.
_INTERVENTION_TYPE = re.compile(
    r"^(?:drug|device|biological|procedure(?:/surgery)?|radiation|behavioral|genetic|"
    r"dietary[ _]supplement|"
    r"combination[ _]product|diagnostic[ _]test|other)\s*:\s*",
    re.IGNORECASE,
)


def text(value) -> str:
    """A register's text cell: HTML line breaks ("<br>", ICTRP) to spaces, whitespace collapsed."""
    return fields.clean(_TAG.sub(" ", str(value or "")))


def items(value, separator: str = r"\s*;\s*") -> list[str]:
    """A register's multi-valued cell split on its separator, empty items dropped."""
    return [item for item in (text(part) for part in re.split(separator, str(value or ""))) if item]


_ENUMERATION = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


def _status(value: str) -> str:
    # The modern ClinicalTrials.gov writes enumerations ("NOT_YET_RECRUITING"),
    # the classic site and ICTRP words ("Not yet recruiting"): one way for all.
    value = text(value)
    return value.replace("_", " ").capitalize() if _ENUMERATION.fullmatch(value) else value


_NO_ID = re.compile(r"^(?:n/?a|none|nil|not applicable|-+)$", re.IGNORECASE)


_MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}  # fmt: skip
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d\d)(\d\d)")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?(?:\s+(\d{1,2}))?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})")


def iso_date(value, day_first: bool) -> str:
    """A register's date as ISO 8601, as precise as given ("2004-09", "2019-08-05"); "" if none.

    Registers write dates in several orders: ISO ("2004-09"), compact
    ("20240408", ICTRP's Date_registration3), "February 28, 2013" or
    "October 2012" (ClinicalTrials.gov classic), "20 May 2024", and slashed,
    which is day first in ICTRP ("08/04/2024") but month first in US exports:
    the caller says which. A date that is no calendar date is "".
    """
    value = text(value)
    year = month = day = None
    if match := _COMPACT.fullmatch(value):
        year, month, day = match.groups()
    elif match := _ISO.fullmatch(value):
        year, month, day = match.groups()
    elif match := _SLASHED.fullmatch(value):
        first, second, year = match.groups()
        day, month = (first, second) if day_first else (second, first)
    elif (match := _MONTH_FIRST.fullmatch(value)) and match.group(1).lower() in _MONTHS:
        month, day, year = str(_MONTHS[match.group(1).lower()]), match.group(2), match.group(3)
    elif (match := _DAY_FIRST.fullmatch(value)) and match.group(2).lower() in _MONTHS:
        day, month, year = match.group(1), str(_MONTHS[match.group(2).lower()]), match.group(3)
    if year is None:
        return ""
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join(
        part for part in (year, month and f"{int(month):02d}", day and f"{int(day):02d}") if part
    )


def row(
    *,
    source_db: str,
    source_id: str,
    register: str,
    public_title: str = "",
    scientific_title: str = "",
    acronym: str = "",
    sponsors: list[str] = (),
    conditions: list[str] = (),
    interventions: list[str] = (),
    keywords: list[str] = (),  # the register's own keywords, besides conditions and interventions
    registered: str = "",
    first_posted: str = "",
    status: str = "",
    url: str = "",
    other_ids: list[str] = (),
    summary: str = "",
) -> dict:
    """One record (reviewflow.records.COLUMNS but provenance) for one register entry.

    ``registered`` is the ISO date the register received the entry, ``first_posted``
    the date it published it (all ClinicalTrials.gov's CSV gives); the year is the
    registration year, else the posting year. ``other_ids`` are the trial's secondary
    IDs as the register lists them: those of a trial register become
    register_ids (after the trial's own), the rest (sponsor protocol numbers,
    grant numbers) are kept in the notes.
    """
    public_title, scientific_title = text(public_title), text(scientific_title)
    title = public_title or scientific_title
    other_ids = list(
        dict.fromkeys(i for i in (text(i) for i in other_ids) if i and not _NO_ID.match(i))
    )
    unregistered = [i for i in other_ids if not trial_ids.find(i)]
    own = [trial_ids.own_id(source_id)] if text(source_id) else []
    interventions = [_INTERVENTION_TYPE.sub("", text(i)) for i in interventions]
    terms = [*map(text, conditions), *map(text, keywords), *interventions]
    notes = {
        "Scientific title": scientific_title if scientific_title != title else "",
        "Acronym": text(acronym),
        "Status": _status(status),
        "Registered": registered,
        "First posted": first_posted,
        "URL": text(url),
        "Other IDs": ", ".join(unregistered),
    }
    return {
        "source_db": source_db,
        "source_id": text(source_id),
        "title": title,
        "authors": list(dict.fromkeys(s for s in map(text, sponsors) if s)),
        "year": fields.year(registered or first_posted),
        "journal": register,
        "publication_type": "trial registration",
        "abstract": text(summary),
        "keywords": list(dict.fromkeys(term for term in terms if term)),
        "notes": "; ".join(f"{label}: {value}" for label, value in notes.items() if value),
        "register_ids": list(dict.fromkeys([*own, *trial_ids.find(*other_ids)])),
    }
