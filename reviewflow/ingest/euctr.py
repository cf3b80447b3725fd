"""EU Clinical Trials Register text downloads (clinicaltrialsregister.eu).

"Download full trial details" writes a one-line preamble ("This file contains
full details on each clinical trial selected for download ..."), then one block
per trial and member state, each opening "Summary" / "EudraCT Number: ...".
Lines are "Key: value", keys led by the protocol form's section codes
("A.3 Full title of the trial: ...", "B.1.1 Name of Sponsor: ..."), some with a
tab for the space ("B.1.3.4\\tCountry: ..."); a key repeated with a language
suffix ("A.3 Full title of the trial (es): ...") is a translation, and the
English one is read; a value runs on over the lines that start no key. The
summary download ("EudraCT Number:", "Sponsor Name:", "Full Title:", ...
per trial) has the same shape with the summary's keys.

Each block is one record: the EU CTR keeps one per member state, and their
register ID is the one EudraCT number, so they are recognised as one trial.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import register_record
from reviewflow.ingest.tagged import line_marks, line_numbers

SOURCE_DB = "EU Clinical Trials Register"
_PREAMBLE = "This file contains full details on each clinical trial"
_START = re.compile(r"\n(?:Summary\n)?EudraCT Number:")  # (found by line_marks)
_EUDRACT = re.compile(r"^\d{4}-\d{6}-\d{2}$")
# "A.3.1 Title ...: value", "N. Date of ...: value", "B.3.1 and B.3.2\tStatus ...: value",
# or a summary key ("EudraCT Number: value"). The label stops at the first ": ".
_KEY = re.compile(
    r"^(?:(?P<code>[A-Z]\.(?:[0-9A-Z]+(?:\.[0-9A-Z]+)*\.?)?"
    r"(?:\s+(?:and|to)\s+[A-Z](?:\.[0-9]+)+)?)[ \t]+)?"
    r"(?P<label>[^:\n\t]+?)(?: \((?P<lang>[a-z]{2})\))?:(?:[ \t]+(?P<value>.*?))?[ \t]*$"
)
_CODED = re.compile(r"^[A-Z]\.(?:[0-9A-Z]+(?:\.[0-9A-Z]+)*\.?)?[ \t]")
_SUMMARY_KEYS = frozenset((
    "EudraCT Number", "Sponsor's Protocol Code Number", "Sponsor Protocol Number",
    "National Competent Authority", "Clinical Trial Type", "Trial Status",
    "Date on which this record was first entered in the EudraCT database",
    "Link", "Start Date*", "Sponsor Name", "Full Title", "Medical condition", "Disease",
    "Population Age", "Gender", "Trial protocol", "Trial results",
))  # fmt: skip

# Record fact -> keys (section code, or summary label): a single fact is the
# first value among its keys, a list fact every value of every key.
_FACTS = {
    "eudract": ("EudraCT Number", "A.2"),
    "scientific_title": ("A.3", "Full Title"),
    "public_title": ("A.3.1",),
    "acronym": ("A.3.2",),
    "protocol": ("A.4.1", "Sponsor's Protocol Code Number", "Sponsor Protocol Number"),
    "register_ids": ("A.5.1", "A.5.2", "A.5.3", "A.5.4"),
    "sponsors": ("B.1.1", "Sponsor Name"),
    "conditions": ("E.1.1", "Medical condition"),
    "lay_conditions": ("E.1.1.1",),
    "products": ("D.3.1",),
    "substances": ("D.3.8",),
    "objective": ("E.2.1",),
    "status": ("Trial Status",),
    # The summary's "Start Date*" is footnoted as that same date.
    "registered": (
        "Date on which this record was first entered in the EudraCT database",
        "Start Date*",
    ),
    "url": ("Link",),
}


def is_text(text: str) -> bool:
    head = text[:2000].lstrip()
    return head.startswith(_PREAMBLE) or bool(
        re.match(r"(?:Summary\n)?EudraCT Number: ?\d{4}-\d{6}-\d{2}", head)
    )


def _fields(block: str) -> dict[str, list[str]]:
    """Key (section code, or a summary key's label) -> its English values, in order."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in block.split("\n"):
        match = _KEY.match(line)
        key = None
        if match and (match.group("code") or match.group("label") in _SUMMARY_KEYS):
            key = match.group("code") or match.group("label")
        if key is not None:
            if match.group("lang"):  # a translation: its run-on lines go with it, unread
                current = None
                continue
            current = [match.group("value") or ""]
            out.setdefault(key, []).append(current)
        elif _CODED.match(
            line
        ):  # a heading ("E.1 Medical condition or disease under investigation")
            current = None
        elif current is not None and line.strip():
            current.append(line)
    return {
        key: [register_record.text("\n".join(lines)) for lines in values]
        for key, values in out.items()
    }


def _first(found: dict[str, list[str]], fact: str) -> str:
    return next((v for key in _FACTS[fact] for v in found.get(key, ()) if v), "")


def _all(found: dict[str, list[str]], fact: str) -> list[str]:
    return [v for key in _FACTS[fact] for v in found.get(key, ()) if v]


def _row(found: dict[str, list[str]], path: Path, line: int) -> dict:
    eudract = _first(found, "eudract")
    if not _EUDRACT.match(eudract):
        raise ReviewflowError(f"EudraCT number {eudract!r} is not NNNN-NNNNNN-NN", str(path), line)
    url = _first(found, "url")
    # The member state is the link's last part: ".../trial/2022-002568-62/ES/" (3RD: outside
    # the EEA).
    state = re.search(rf"{eudract}/([A-Z]{{2}}|3RD)\b", url)
    return register_record.row(
        source_db=SOURCE_DB,
        source_id=f"{eudract}-{state.group(1)}" if state else eudract,
        register=SOURCE_DB,
        public_title=_first(found, "public_title"),
        scientific_title=_first(found, "scientific_title"),
        acronym=_first(found, "acronym"),
        sponsors=_all(found, "sponsors"),
        conditions=_all(found, "conditions") + _all(found, "lay_conditions"),
        interventions=_all(found, "products") + _all(found, "substances"),
        registered=register_record.iso_date(_first(found, "registered"), day_first=True),
        status=_first(found, "status"),
        url=url,
        other_ids=[eudract, *_all(found, "register_ids"), *_all(found, "protocol")],
        summary=_first(found, "objective"),
    )


def parse(text: str, path: Path) -> list[dict]:
    starts = [mark.start for mark in line_marks(_START, text)]
    if not starts:
        raise ReviewflowError("no trial ('EudraCT Number:' line) found", str(path))
    before = text[: starts[0]].strip()
    if before and not before.startswith(_PREAMBLE):
        raise ReviewflowError(
            "text before the first trial that is not the download's preamble", str(path), 1
        )
    ends = starts[1:] + [len(text)]
    lines = line_numbers(text, starts)
    return [
        _row(_fields(text[start:end]), path, line) for start, end, line in zip(starts, ends, lines)
    ]
