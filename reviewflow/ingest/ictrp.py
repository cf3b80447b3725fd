"""WHO ICTRP downloads (trialsearch.who.int): the portal's XML export and its CSV.

Both carry the same fields, named with underscores in the XML
(<Public_title>) and spaces in the CSV ("Public title"). The XML's root is
<Trials_downloaded_from_ICTRP> (older exports: <Trials>), one <Trial> per
record; every value is padded with a line break and spaces inside its element
and HTML line breaks come escaped ("&lt;br&gt;"). The CSV quotes every field
and holds bare CRs inside them. Dates: Date_registration is day first
("08/04/2024") or ISO, Date_registration3 is YYYYMMDD; the export date is
month first, and is not read. TrialID is the ID the record's source register
issued, prefixed by ICTRP for some ("JPRN-jRCT...", "EUCTR2021-000037-14-PL"
per member state).

The XML is parsed with xml.etree after refusing any DTD: ICTRP exports
declare none, and without one no entity can expand (the "billion laughs"
and external-entity attacks need a DTD).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import register_record
from reviewflow.ingest.layout import Layout
from reviewflow.ingest.tables import Dialect, header_sniffer, read_rows
from reviewflow.ingest.tagged import line_numbers

SOURCE_DB = "WHO ICTRP"

# Record fact -> field names, as the CSV writes them (the XML's, with "_" for " ",
# are compared in the same form); the first non-empty wins.
_FIELDS = {
    "id": ("TrialID",),
    "public_title": ("Public title",),
    "scientific_title": ("Scientific title",),
    "acronym": ("Acronym",),
    "sponsor": ("Primary sponsor",),
    "secondary_sponsors": ("Secondary Sponsor", "Secondary sponsors"),
    "registered": ("Date registration3", "Date registration"),
    "register": ("Source Register",),
    "url": ("web address",),
    "status": ("Recruitment Status",),
    "conditions": ("Condition",),
    "interventions": ("Intervention",),
    "secondary_ids": ("Secondary ID", "Secondary IDs", "SecondaryIDs"),
}


def _key(name: str) -> str:
    return name.replace("_", " ").strip().lower()


def _row(values: dict[str, str]) -> dict:
    """One record from a trial's field name -> text (names in any of the two spellings)."""
    by_key = {_key(name): value for name, value in values.items()}

    def get(fact: str) -> str:
        return next(
            (v for v in (by_key.get(_key(n), "") for n in _FIELDS[fact]) if v and v.strip()), ""
        )

    return register_record.row(
        source_db=SOURCE_DB,
        source_id=get("id"),
        register=register_record.text(get("register")) or SOURCE_DB,
        public_title=get("public_title"),
        scientific_title=get("scientific_title"),
        acronym=get("acronym"),
        sponsors=[get("sponsor"), *register_record.items(get("secondary_sponsors"))],
        conditions=register_record.items(get("conditions")),
        interventions=register_record.items(get("interventions")),
        registered=_registered(by_key),
        status=get("status"),
        url=get("url"),
        other_ids=register_record.items(get("secondary_ids")),
    )


def _registered(by_key: dict[str, str]) -> str:
    # Date_registration3 (YYYYMMDD) is unambiguous; Date_registration is day first or ISO.
    for name in _FIELDS["registered"]:
        if found := register_record.iso_date(by_key.get(_key(name), ""), day_first=True):
            return found
    return ""


# --- XML -----------------------------------------------------------------------

# A DTD is let through detection so that parse_xml can refuse it by name.
_XML_ROOT = re.compile(
    r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*"
    r"<(?:Trials_downloaded_from_ICTRP|Trials)\b",
    re.DOTALL,
)
_TRIAL_START = re.compile(r"<Trial\b")
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def is_xml(text: str) -> bool:
    return bool(_XML_ROOT.match(text[:5000])) and "<TrialID" in text[:100_000]


def parse_xml(text: str, path: Path) -> list[dict]:
    if dtd := _DTD.search(text):
        raise ReviewflowError(
            "the XML declares a DTD or entities, which ICTRP exports never do; refused",
            str(path),
            text.count("\n", 0, dtd.start()) + 1,
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ReviewflowError(f"malformed XML: {exc}", str(path), exc.position[0]) from None
    trials = [child for child in root if child.tag == "Trial"]
    lines = line_numbers(text, [m.start() for m in _TRIAL_START.finditer(text)])
    lines += [None] * (
        len(trials) - len(lines)
    )  # "<Trial" written oddly: no line, but every trial read
    rows = []
    for n, (trial, line) in enumerate(zip(trials, lines), start=1):
        values = {child.tag: "".join(child.itertext()) for child in trial}
        if not (values.get("TrialID") or "").strip():
            raise ReviewflowError(f"<Trial> {n} has no TrialID", str(path), line)
        rows.append(_row(values))
    if not rows:
        raise ReviewflowError(f"<{root.tag}> holds no <Trial> element", str(path), 1)
    return rows


# --- CSV -----------------------------------------------------------------------

_LAYOUT = Layout(
    name="WHO ICTRP CSV",
    source_db=SOURCE_DB,
    signature=("TrialID", "Public title"),
    fields={"source_id": ("TrialID",), "title": ("Public title",)},
    inputs=tuple(name for names in _FIELDS.values() for name in names),
)
_DIALECT = Dialect(",")
is_csv = header_sniffer(_LAYOUT, _DIALECT)


def parse_csv(text: str, path: Path) -> list[dict]:
    raw = read_rows(text, path, _LAYOUT, _DIALECT).fillna("")
    return [_row(values) for values in raw.to_dict("records")]
