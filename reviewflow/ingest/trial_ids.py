"""Trial-register IDs: find them in any text and write each one way.

The same trial is "NCT01234567" in ClinicalTrials.gov, "NCT01234567" again in
the WHO ICTRP (which re-publishes it), "CTgov NCT01234567" in CENTRAL and
"ClinicalTrials.gov/NCT01234567" in a MEDLINE SI line; a EudraCT trial is
"2004-000123-45" in its own register, "EUCTR2004-000123-45-DE" per member
state in ICTRP, with Unicode hyphens in CENTRAL. ``REGISTERS`` is the table of
the registers' ID formats (WHO ICTRP's list of primary registers and the
IDs they issue); ``find`` is the one normaliser every reader uses, so equal
IDs compare equal as strings: upper case, ASCII hyphens, no database prefix
("JPRN-", "CTgov ", "ICTRP "), and one ID per trial (a EudraCT number without
its member-state suffix, which ICTRP adds to tell apart one trial's national
records).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

# (register, pattern, canonical form). Patterns are matched case-insensitively
# on text whose hyphens are folded; the canonical form is a str.format
# template over the named groups, upper-cased.
REGISTERS: tuple[tuple[str, str, str], ...] = (
    ("ClinicalTrials.gov", r"NCT(?P<n>\d{8})", "NCT{n}"),
    # CTIS (EU CT number) before EudraCT: it is a EudraCT-like number with a fourth part.
    ("CTIS", r"(?:CTIS)?(?P<n>(?:19|20)\d\d-\d{6}-\d\d-\d\d)", "CTIS{n}"),
    (
        "EU Clinical Trials Register",
        r"(?:EUCTR)?(?P<n>(?:19|20)\d\d-\d{6}-\d\d)(?:-(?:[A-Z]{2}|3RD))?",
        "EUCTR{n}",
    ),
    ("ISRCTN", r"ISRCTN\s?(?P<n>\d{8})", "ISRCTN{n}"),
    ("ANZCTR", r"ACTRN\s?(?P<n>\d{14})", "ACTRN{n}"),
    ("ChiCTR", r"ChiCTR(?P<n>\d{10}|-[A-Z]{2,4}-\d{8})", "CHICTR{n}"),
    ("DRKS", r"DRKS(?P<n>\d{8})", "DRKS{n}"),
    ("jRCT", r"(?:JPRN-)?jRCT(?P<n>[a-z]?\d{9,10})", "JRCT{n}"),
    ("UMIN-CTR", r"(?:JPRN-)?UMIN(?:-CTR)?(?P<n>\d{9})", "UMIN{n}"),
    ("JapicCTI", r"(?:JPRN-)?JapicCTI-?(?P<n>\d{6})", "JAPICCTI-{n}"),
    ("JMACCT", r"(?:JPRN-)?JMA-IIA(?P<n>\d{5})", "JMA-IIA{n}"),
    ("IRCT", r"IRCT(?P<n>\d{8,14}N\d{1,3})", "IRCT{n}"),
    ("CTRI", r"CTRI/(?P<y>\d{4})/(?P<m>\d{2,3})/(?P<n>\d{6})", "CTRI/{y}/{m}/{n}"),
    ("CRiS", r"KCT(?P<n>\d{7})", "KCT{n}"),
    ("TCTR", r"TCTR(?P<n>\d{11})", "TCTR{n}"),
    ("PACTR", r"PACTR(?P<n>\d{15,16})", "PACTR{n}"),
    ("ReBec", r"RBR-(?P<n>[0-9a-z]{6,8})", "RBR-{n}"),
    ("LTR", r"NL-OMON(?P<n>\d{1,6})", "NL-OMON{n}"),
    ("NTR", r"(?P<p>NTR|NL)(?P<n>\d{1,5})", "{p}{n}"),
    ("SLCTR", r"SLCTR/(?P<y>\d{4})/(?P<n>\d{3})", "SLCTR/{y}/{n}"),
    ("LBCTR", r"LBCTR(?P<n>\d{10})", "LBCTR{n}"),
    ("ITMCTR", r"ITMCTR(?P<n>\d{10,13})", "ITMCTR{n}"),
    ("REPEC", r"PER-(?P<n>\d{3}-\d{2})", "PER-{n}"),
    ("RPCEC", r"RPCEC(?P<n>\d{8})", "RPCEC{n}"),
)

# Hyphen-like characters (Wiley writes U+2010 for "-"), and U+FFFD where a
# hyphen was lost to a bad transcoding ("EUCTR2020-001234-35\ufffd\ufffd\ufffdDE").
_HYPHENS = re.compile("[\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d]|\ufffd+")


def _alternative(index: int, pattern: str) -> str:
    # re wants group names unique across the alternation: prefix them per register.
    named = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<g{index}_{m.group(1)}>", pattern)
    return f"(?P<r{index}>{named})"


# Not inside a longer token: "NCT012345678" (nine digits) is no NCT ID, and
# "NL12345.078.15" is a Dutch ethics-committee number, not an NTR ID. The
# lookbehind stands outside the alternation so that a position inside a word
# is rejected once, not once per register.
_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    + "|".join(_alternative(i, p) for i, (_, p, _) in enumerate(REGISTERS))
    + r")"
    r"(?![0-9A-Za-z]|\.\d)",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """NFKC (full-width digits and letters) with every hyphen an ASCII "-"."""
    if text.isascii():  # most cells: nothing to fold
        return text
    return _HYPHENS.sub("-", unicodedata.normalize("NFKC", text))


# Every register ID has digits: text without any (most author names, most
# cells) is skipped before the long alternation is tried at each position.
_DIGIT = re.compile(r"\d")


def _canonical(match: re.Match) -> str:
    """The canonical ID of one match of _PATTERN."""
    index = int(match.lastgroup[1:])
    prefix = f"g{index}_"
    values = {
        name[len(prefix) :]: value or ""
        for name, value in match.groupdict().items()
        if name.startswith(prefix)
    }
    return REGISTERS[index][2].format(**values).upper()


def find(*texts) -> list[str]:
    """Every register ID in the texts, canonical, each once, in order of appearance."""
    found: dict[str, None] = {}
    for text in texts:
        if not text or not _DIGIT.search(text := str(text)):
            continue
        for match in _PATTERN.finditer(fold(text)):
            found.setdefault(_canonical(match))
    return list(found)


# Where some REGISTERS form can be, on lower-case text: each pattern opens with a literal,
# so that re skips ahead in C (one alternation tried at every position costs ten times
# more). A prefix common inside words ("nct" in "function", "ntr" in "control", "umin" in
# "albumin") needs the digit after it; EudraCT-like numbers are found by the hyphen after
# their six digits, whichever hyphen it is. Full-width text (which ``fold`` rewrites) is
# searched whole.
# "~" below: any hyphen ``fold`` reads as one.
_MENTIONS = tuple(
    re.compile(p.replace("~", "(?:-|" + _HYPHENS.pattern + ")"))
    for p in (
        *(
            re.escape(prefix) + r"\d"
            for prefix in (
                "nct",
                "drks",
                "tctr",
                "pactr",
                "lbctr",
                "itmctr",
                "rpcec",
                "kct",
                "irct",
                "ntr",
                "ctri/",
                "slctr/",
            )
        ),
        r"isrctn\s?\d",
        r"actrn\s?\d",
        r"umin(?:~ctr)?\d",
        r"jrct[a-z]?\d",
        r"japiccti~?\d",
        r"jma~iia\d",
        r"chictr~?[a-z0-9]",
        r"nl(?:~omon)?\d",
        r"per~\d",
        r"rbr",
        r"-(?<=\d{6}-)\d\d",
        r"[\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d\ufffd](?<=\d{6}.)\d\d",
        r"[\uff00-\uffef]",
    )
)
# How far before a hit a form may start ("euctr2020-" before EudraCT's middle), and past it end.
_BEFORE, _AFTER = 16, 48


def find_each(texts: list[str]) -> list[list[str]]:
    """``find`` of each text, for many texts (a set's abstracts): the cheap patterns above
    find where an ID can be, and the full pattern is tried only around those places."""
    lines = [str(t).lower() for t in texts]
    out: list[list[str]] = []
    text = "\n".join(line.replace("\n", " ") for line in lines)
    starts = np.cumsum([0] + [len(line) + 1 for line in lines])
    hits = np.sort(
        np.fromiter((m.start() for p in _MENTIONS for m in p.finditer(text)), dtype=np.int64)
    )
    line_of = np.searchsorted(starts, hits, side="right") - 1
    windows: dict[int, list[tuple[int, int]]] = {}
    for k, hit in zip(line_of.tolist(), (hits - starts[line_of]).tolist()):
        spans = windows.setdefault(k, [])
        low, high = max(0, hit - _BEFORE), hit + _AFTER
        if spans and low <= spans[-1][1]:  # overlapping windows are searched as one
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    for k, original in enumerate(texts):
        found: dict[str, None] = {}
        original = str(original)
        # Lower-casing changed the length (a dotted capital I): positions are off, search it whole.
        spans = windows.get(k, ()) if len(lines[k]) == len(original) else [(0, len(original))]
        for low, high in spans:
            # One character of context each side, so that an ID inside a longer token is no ID.
            window = fold(original[max(0, low - 1) : high + 1])
            for match in _PATTERN.finditer(window):
                inside = (match.start() > 0 or low == 0) and (
                    match.end() < len(window) or high + 1 >= len(original)
                )
                if inside:
                    found.setdefault(_canonical(match))
        out.append(list(found))
    return out


def own_id(trial_id: str) -> str:
    """A register entry's own ID: canonical where REGISTERS knows its form, else
    folded and upper-cased as given (a register ICTRP adds later is still one ID)."""
    found = find(trial_id)
    return found[0] if found else fold(" ".join(str(trial_id).split())).upper()


def is_register_id(text: str) -> bool:
    """Is the whole text one register ID (CENTRAL writes "NCT05417997," as a register record's
    author)?"""
    text = str(text).strip(" ,;.")
    return bool(_DIGIT.search(text)) and bool(_PATTERN.fullmatch(fold(text)))


def register_of(canonical: str) -> str:
    """The register (REGISTERS' name) that issues an ID as ``find`` writes it; "" if none does."""
    match = _PATTERN.fullmatch(canonical)
    return REGISTERS[int(match.lastgroup[1:])][0] if match else ""
