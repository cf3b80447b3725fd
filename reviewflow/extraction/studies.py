"""The included studies: primary ledger rows the review includes, joined to the works table.

That is status "included" and, in an updated review, "previous_included" unless the
update excludes it (``reviewflow.screening.ledger.in_review``).

Several reports of one study share the ledger's ``study`` label and become one row (their
citations, DOIs, PMIDs and keys "; "-joined); a report without a label is its own study.

A report's year (in its Study ID and citation) is the latest year any database gives the
work: a journal article appears online first and in an issue later, so databases that
disagree by a year give the online year and the issue year, and a review cites the issue
(Perkovic 2021, not the online-first 2020).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reviewflow.contracts import LEDGER, WORKS
from reviewflow.errors import ReviewflowError
from reviewflow.records import CITATION_FIELDS
from reviewflow.safe import unsafe_text
from reviewflow.screening.ledger import in_review, primary_flags

LEDGER_NEEDS = LEDGER.needs(
    "cluster_id", "work_key", "is_primary", "status", "ft_design", "study", "year"
)
WORKS_NEEDS = WORKS.needs("cluster_id", "key", "databases", *CITATION_FIELDS)
STUDY_COLUMNS = ["Study", "Citation", "DOI", "PMID", "Databases", "Work key", "Design at full text"]


def read_table(path: str | Path, needs: tuple[str, ...]) -> pd.DataFrame:
    """A ledger or works CSV as text, with the formula guard of reviewflow.safe undone."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ReviewflowError(f"cannot read table ({exc})", str(path)) from None
    missing = [c for c in needs if c not in frame.columns]
    if missing:
        raise ReviewflowError(f"missing columns {missing}", str(path), 1)
    return frame.apply(lambda column: column.map(unsafe_text))


def first_surname(authors: str) -> str:
    first = authors.split(";")[0].strip()
    surname = first.split(",")[0].strip()
    return surname or "Anonymous"


def citation(work: pd.Series) -> str:
    """A Vancouver-style reference: Authors. Title. Journal Year;Volume(Issue):Pages. doi:..."""
    authors = [a.strip() for a in work["authors"].split(";") if a.strip()]
    names = [_vancouver(a) for a in authors[:6]] + (["et al"] if len(authors) > 6 else [])
    source = work["journal"]
    if work["year"]:
        source += f" {work['year']}"
    if work["volume"]:
        source += f";{work['volume']}"
    if work["issue"]:
        source += f"({work['issue']})"
    if work["pages"]:
        source += f":{work['pages']}"
    parts = [", ".join(names), work["title"].rstrip("."), source.strip()]
    if work["doi"]:
        parts.append(f"doi:{work['doi']}")
    return ". ".join(p for p in parts if p) + "."


def _vancouver(author: str) -> str:
    surname, _, given = author.partition(",")
    # "Corrie L" -> CL; "KM" is already initials and stays KM.
    words = [w for w in re.split(r"[\s.\-]+", given) if w]
    initials = "".join(w if w.isupper() and len(w) <= 3 else w[0] for w in words)
    return f"{surname.strip()} {initials}".strip()


def included_studies(
    ledger: pd.DataFrame, works: pd.DataFrame, where: str = "ledger"
) -> pd.DataFrame:
    """One row per included study with STUDY_COLUMNS, sorted by Study ID."""
    primary = primary_flags(ledger["is_primary"])
    included = ledger[primary & in_review(ledger)]  # an update's previous studies too
    works = works.set_index("cluster_id", drop=False)
    unknown = sorted(set(included["cluster_id"]) - set(works.index))
    if unknown:
        raise ReviewflowError(f"included clusters missing from works.csv: {unknown}", where)
    reports = works.loc[included["cluster_id"]].reset_index(drop=True)
    latest = pd.to_numeric(ledger["year"], errors="coerce").groupby(ledger["cluster_id"]).max()
    reports["year"] = [
        str(int(latest[c])) if pd.notna(latest.get(c)) else year
        for c, year in zip(reports["cluster_id"], reports["year"])
    ]
    reports["design"] = included["ft_design"].to_numpy()
    # MEDLINE-style "Erratum in": a correction or retraction of an included report is shown with it.
    notices = included["notices"] if "notices" in included else pd.Series("", index=included.index)
    reports["notices"] = notices.fillna("").to_numpy()
    reports["study_label"] = [
        label or key for label, key in zip(included["study"], included["work_key"])
    ]
    # A list, not apply: apply over no rows returns a frame, which cannot fill one column.
    reports["citation"] = [
        citation(work)
        + (f" [Notice in the search results: {work['notices']}]" if work["notices"] else "")
        for _, work in reports.iterrows()
    ]
    # The study is named after its earliest report (ties: by key, so the choice is stable).
    reports = reports.sort_values(["study_label", "year", "key"], kind="stable")
    rows = []
    for _, group in reports.groupby("study_label", sort=True):
        lead = group.iloc[0]
        rows.append(
            {
                "base": f"{first_surname(lead['authors'])} {lead['year'] or 'n.d.'}",
                "Citation": "; ".join(group["citation"]),
                "DOI": _join(group["doi"]),
                "PMID": _join(group["pmid"]),
                "Databases": _join(d for ds in group["databases"] for d in ds.split(";")),
                "Work key": _join(group["key"]),
                "Design at full text": _join(group["design"]),
            }
        )
    studies = pd.DataFrame(rows, columns=["base"] + STUDY_COLUMNS[1:])
    studies = studies.sort_values(["base", "Citation", "Work key"], kind="stable").reset_index(
        drop=True
    )
    studies.insert(0, "Study", _disambiguate(studies["base"]))
    return studies.drop(columns="base")


def _join(values) -> str:
    return "; ".join(sorted({v.strip() for v in values if v and v.strip()}))


def _disambiguate(bases: pd.Series) -> list[str]:
    """ "Levy 2004" twice -> "Levy 2004a", "Levy 2004b" (in the given order)."""
    counts = bases.value_counts()
    seen: dict[str, int] = {}
    out = []
    for base in bases:
        if counts[base] == 1:
            out.append(base)
            continue
        seen[base] = seen.get(base, 0) + 1
        out.append(base + _letters(seen[base]))
    return out


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (so any number of same-name studies stays unique)."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s
