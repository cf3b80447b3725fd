"""Turn screening-tool exports into reviewflow's decision file (config/README.md, `screening`).

``import_decisions`` reads one or more exports of one stage, matches their
records to works, pools the votes, applies the consensus rule and returns the
decision rows together with everything a reviewer must look at: unmatched and
doubly matched records, conflicts and agreement. ``decisions_from_config`` is
what the screening loader calls for the ``screening_tools: imports`` of config.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reviewflow.config import with_defaults
from reviewflow.decision_files import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS
from reviewflow.errors import ReviewflowError
from reviewflow.exchange import asreview, consensus, covidence, rayyan
from reviewflow.exchange.match import WorkIndex, match_records

READERS = {"rayyan": rayyan.read, "covidence": covidence.read, "asreview": asreview.read}
READER_NAMES = {"rayyan": "Rayyan", "covidence": "Covidence", "asreview": "ASReview LAB"}
STAGES = ("title_abstract", "full_text")
# The screening_tools settings an import reads, over the schema's defaults; arbiter and
# votes_needed have none there: unset, nobody arbitrates and consensus.decide counts reviewers.
SETTINGS = ("consensus", "arbiter", "votes_needed", "pseudonymise")

log = logging.getLogger(__name__)


@dataclass
class Source:
    """One tool export: ``reviewer`` names the voter where the tool does not
    (ASReview, Covidence); ``covidence_list`` where the file name does not say it."""

    path: str
    tool: str
    reviewer: str | None = None
    covidence_list: str | None = None


@dataclass
class ImportResult:
    stage: str
    decisions: pd.DataFrame  # the decision file's rows
    matches: pd.DataFrame  # one row per tool record: source, location, work_key, method, problem
    votes: pd.DataFrame  # one row per (work, reviewer), reviewers as written out
    conflicts: pd.DataFrame
    agreement: pd.DataFrame
    n_records: int = 0
    n_unscreened: int = 0
    names: dict = field(default_factory=dict)  # real name -> name written out

    @property
    def problems(self) -> pd.DataFrame:
        return self.matches[self.matches["problem"] != ""]


def read_source(source: Source, stage: str):
    if source.tool not in READERS:
        raise ReviewflowError(
            f"unknown tool {source.tool!r} (one of {', '.join(READERS)})", source.path
        )
    if not Path(source.path).is_file():
        raise ReviewflowError("no such file", source.path)
    return READERS[source.tool](
        source.path, stage=stage, reviewer=source.reviewer, covidence_list=source.covidence_list
    )


def import_decisions(
    sources: list[Source], stage: str, works: pd.DataFrame, settings: dict | None = None
) -> ImportResult:
    if stage not in STAGES:
        raise ReviewflowError(f"unknown stage {stage!r} (title_abstract or full_text)")
    settings = with_defaults({"screening_tools": settings or {}})["screening_tools"]
    index = WorkIndex(works)
    all_matches, all_votes, n_unscreened = [], [], 0
    for source in sources:
        export = read_source(source, stage)
        matches = match_records(export.records, index)
        matches.insert(0, "source", source.path)
        all_matches.append(matches)
        votes = export.votes.merge(matches[["record", "work_key"]], on="record")
        n_unscreened += int((~export.records["record"].isin(export.votes["record"])).sum())
        all_votes.append(votes[votes["work_key"] != ""])
    matches = pd.concat(all_matches, ignore_index=True)
    votes = pd.concat(all_votes, ignore_index=True)
    if votes.empty:
        raise _no_decisions(sources, matches, n_unscreened)

    arbiter = settings.get("arbiter")
    names = {n: n for n in sorted(set(votes["reviewer"]) | ({arbiter} if arbiter else set()))}
    if settings.get("pseudonymise"):
        names = consensus.pseudonyms(names)
    # Rules and agreement see the real names (the arbiter is named in config);
    # only what is written out is pseudonymised.
    per_reviewer = (
        consensus.reviewer_votes(votes)
        if len(votes)
        else pd.DataFrame(columns=["work_key", "reviewer", "vote", "reason"])
    )
    decided, conflicts = consensus.decide(
        per_reviewer, stage, settings["consensus"], arbiter, settings.get("votes_needed")
    )
    agreement = (
        consensus.agreement(per_reviewer, stage)
        if len(per_reviewer)
        else pd.DataFrame(columns=consensus.AGREEMENT_COLUMNS)
    )

    def rename(name):
        return names.get(name, name)

    conflicts["votes"] = conflicts["votes"].map(lambda text: _rename_votes(text, names))
    agreement["reviewer_a"] = agreement["reviewer_a"].map(rename)
    agreement["reviewer_b"] = agreement["reviewer_b"].map(rename)
    per_reviewer = per_reviewer.assign(reviewer=per_reviewer["reviewer"].map(rename))
    decided["reviewer"] = decided["reviewers"].map(
        lambda rs: "; ".join(sorted(rename(r) for r in rs))
    )
    tools = ", ".join(sorted({READER_NAMES[source.tool] for source in sources}))
    return ImportResult(
        stage,
        _decision_rows(decided, stage, tools),
        matches,
        per_reviewer,
        conflicts,
        agreement,
        n_records=len(matches),
        n_unscreened=n_unscreened,
        names=names,
    )


def _no_decisions(
    sources: list[Source], matches: pd.DataFrame, n_unscreened: int
) -> ReviewflowError:
    """Why an import found nothing to decide: writing an empty decision file would
    look like a finished import and could replace a reviewer's decisions."""
    tools = " or ".join(sorted({READER_NAMES[source.tool] for source in sources}))
    files = ", ".join(source.path for source in sources)
    matched = int((matches["work_key"] != "").sum())
    if n_unscreened == len(matches):
        why = (
            f"none of its {len(matches)} records carries a screening "
            f"decision: is it {tools}'s export "
            "of the screened records (config/README.md, screening_tools)?"
        )
    else:
        why = (
            f"the {len(matches) - n_unscreened} records with decisions match no work of works.csv "
            f"({matched} of {len(matches)} records matched): is it this review's {tools} project?"
        )
    return ReviewflowError(f"no decisions found: {why}", files)


def decisions_in(path) -> int:
    """How many decision rows a decision file holds (0 if there is no such file)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except FileNotFoundError:
        return 0
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewflowError(
            f"cannot read the decision file it would replace ({exc})", str(path)
        ) from None
    return max(len(rows) - 1, 0)


def _rename_votes(text: str, names: dict) -> str:
    parts = []
    for part in text.split("; "):
        name, _, vote = part.rpartition(": ")
        parts.append(f"{names.get(name, name)}: {vote}")
    return "; ".join(sorted(parts))


def _decision_rows(decided: pd.DataFrame, stage: str, tools: str) -> pd.DataFrame:
    if stage == "title_abstract":
        out = pd.DataFrame(
            {
                "id": decided["work_key"],
                "decision": decided["decision"],
                "reason": decided["reason"],
                "reviewer": decided["reviewer"],
            },
            columns=list(TITLE_ABSTRACT_COLUMNS),
        )
    else:
        # A tool's full-text decision is a verdict, not the facts the eligibility
        # rules need: it is recorded as an override, which the decision file
        # requires to have a reason and a retrieved report. Deciding on a full
        # text means it was retrieved; where the tool recorded no reason, the
        # reason says so rather than inventing one.
        out = pd.DataFrame(columns=list(FULL_TEXT_COLUMNS), index=decided.index)
        out["id"] = decided["work_key"]
        out["retrieved"] = "yes"
        out["override"] = decided["decision"]
        fallback = decided["decision"].map(
            {
                "include": f"included at full text in {tools}",
                "exclude": f"excluded at full text in {tools}; no reason recorded",
            }
        )
        out["override_reason"] = decided["reason"].where(decided["reason"] != "", fallback)
        out["reviewer"] = decided["reviewer"]
        out = out.fillna("")
    return out.sort_values("id").reset_index(drop=True)


def write_decisions(result: ImportResult, out) -> None:
    from reviewflow.safe import safe_frame

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(result.decisions.astype(str)).to_csv(out, index=False, lineterminator="\n")


def write_report(result: ImportResult, directory) -> None:
    """The lists behind the summary, as CSV: matches, votes, conflicts, agreement."""
    from reviewflow.safe import safe_frame

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in (
        ("matches", result.matches),
        ("votes", result.votes),
        ("conflicts", result.conflicts),
        ("agreement", result.agreement),
    ):
        safe_frame(frame.astype(str).replace({"None": ""})).to_csv(
            directory / f"{name}.csv", index=False, lineterminator="\n"
        )


def summary(result: ImportResult) -> str:
    lines = [f"{result.n_records} records read; {result.n_unscreened} not screened in the tool"]
    matched = result.matches[result.matches["work_key"] != ""]
    methods = matched["method"].value_counts().sort_index()
    lines.append(
        f"{len(matched)} matched to works ("
        + ", ".join(f"{m}: {n}" for m, n in methods.items())
        + ")"
    )
    counts = result.votes.groupby(["reviewer", "vote"]).size()
    lines.append("votes per reviewer:")
    for reviewer in sorted(set(result.votes["reviewer"])):
        per = counts[reviewer]
        lines.append(f"  {reviewer}: " + ", ".join(f"{v} {int(per[v])}" for v in sorted(per.index)))
    for row in result.agreement.itertuples(index=False):
        kappa = "undefined" if row.kappa is None or pd.isna(row.kappa) else f"{row.kappa:.3f}"
        lines.append(
            f"agreement {row.reviewer_a} / {row.reviewer_b}: {row.n_agree}/{row.n_both} "
            f"({row.percent_agreement}%), Cohen's kappa {kappa}"
        )
    decisions = result.decisions[
        "decision" if result.stage == "title_abstract" else "override"
    ].value_counts()
    lines.append(
        f"{len(result.decisions)} decisions ("
        + ", ".join(f"{d}: {int(n)}" for d, n in sorted(decisions.items()))
        + ")"
    )
    unresolved = result.conflicts[result.conflicts["resolved"] == ""]
    lines.append(f"{len(result.conflicts)} conflicts, {len(unresolved)} unresolved (left pending):")
    for row in unresolved.itertuples(index=False):
        lines.append(f"  {row.work_key}: {row.votes} ({row.issue})")
    problems = result.problems
    lines.append(f"{len(problems)} records unmatched or matched more than once:")
    for row in problems.itertuples(index=False):
        lines.append(f"  {row.location} (tool id {row.tool_id or '-'}): {row.problem}")
    return "\n".join(lines)


def settings_from(section: dict | None) -> dict:
    """The consensus/pseudonymisation settings of a ``screening_tools`` config section."""
    return {k: section[k] for k in SETTINGS if k in (section or {})}


def sources_from_config(
    section: dict, stage: str, root=".", round_name: str | None = None, latest: str | None = None
) -> list[Source]:
    """The imports of ``stage``; with ``round_name``, only that round's (an import
    without ``round`` belongs to ``latest``, the config's last round)."""
    root = Path(root)
    return [
        Source(str(root / item["file"]), item["tool"], item.get("reviewer"), item.get("list"))
        for item in section.get("imports", [])
        if item["stage"] == stage
        and (round_name is None or item.get("round", latest) == round_name)
    ]


def decisions_from_config(
    config: dict, works: pd.DataFrame, stage: str, root=".", round_name: str | None = None
) -> pd.DataFrame:
    """Decision rows (the decision-file columns of ``stage``) from the tool exports that
    ``screening_tools: imports`` names for that stage (and round); empty if none.
    Problems (unmatched records, conflicts) are logged with the import's summary, never guessed
    away."""
    section = config.get("screening_tools") or {}
    latest = config["rounds"][-1]["name"] if config.get("rounds") else None
    sources = sources_from_config(section, stage, root, round_name, latest)
    if not sources:
        return pd.DataFrame(
            columns=list(TITLE_ABSTRACT_COLUMNS if stage == "title_abstract" else FULL_TEXT_COLUMNS)
        )
    result = import_decisions(sources, stage, works, settings_from(section))
    log.info("screening_tools %s: %s", stage, summary(result).replace("\n", "\n  "))
    return result.decisions
