"""From reviewers' votes to decisions: agreement, conflicts and the consensus rule.

Rules (config ``screening_tools: consensus``):
- ``all_agree``: at least ``votes_needed`` reviewers voted, all the same include/exclude.
- ``any_include``: one include suffices; exclusion needs ``votes_needed`` votes, all exclude.
- ``third_reviewer``: as all_agree among the other reviewers; otherwise the
  ``arbiter``'s vote decides.
``votes_needed`` defaults to 2 when the stage has two or more (non-arbiter)
reviewers, else 1: under dual screening one reviewer's vote alone decides
nothing. A "maybe" never decides. A work the rule cannot decide is listed with
why (disagreement, maybe, too few votes) and left without a decision, so it
stays pending.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from reviewflow.errors import ReviewflowError

RULES = ("all_agree", "any_include", "third_reviewer")
DECIDED = ("include", "exclude")
AGREEMENT_COLUMNS = [
    "stage",
    "reviewer_a",
    "reviewer_b",
    "n_both",
    "n_agree",
    "percent_agreement",
    "kappa",
]
CONFLICT_COLUMNS = ["stage", "work_key", "votes", "issue", "resolved"]


def pseudonyms(names) -> dict[str, str]:
    """Deterministic "Reviewer N" for each name (numbered in sorted order of the names)."""
    ordered = sorted(set(names), key=lambda n: (n.casefold(), n))
    return {name: f"Reviewer {i}" for i, name in enumerate(ordered, start=1)}


def reviewer_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """One vote per (work, reviewer). A reviewer who voted differently on two
    copies of a work gets the vote "conflicting", which no rule accepts."""
    cast: dict[tuple[str, str], set[str]] = {}
    reasons: dict[tuple[str, str], set[str]] = {}
    for work_key, reviewer, vote, reason in zip(
        *(votes[c].tolist() for c in ("work_key", "reviewer", "vote", "reason"))
    ):
        cast.setdefault((work_key, reviewer), set()).add(vote)
        reasons.setdefault((work_key, reviewer), set()).update(x for x in reason.split("; ") if x)
    rows = [
        {
            "work_key": work_key,
            "reviewer": reviewer,
            "vote": next(iter(values)) if len(values) == 1 else "conflicting",
            "reason": "; ".join(sorted(reasons[(work_key, reviewer)])),
        }
        for (work_key, reviewer), values in sorted(cast.items())
    ]
    return pd.DataFrame(rows, columns=["work_key", "reviewer", "vote", "reason"])


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items; None when undefined
    (chance agreement is 1, e.g. both raters gave one label to everything)."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    labels = set(a) | set(b)
    expected = sum((a.count(label) / n) * (b.count(label) / n) for label in labels)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(per_reviewer: pd.DataFrame, stage: str) -> pd.DataFrame:
    """Percent agreement and Cohen's kappa for every pair of reviewers, over the
    works both voted on (include / exclude / maybe as categories)."""
    table = per_reviewer.pivot(index="work_key", columns="reviewer", values="vote")
    rows = []
    for a, b in combinations(sorted(table.columns), 2):
        both = table[[a, b]].dropna()
        n = len(both)
        n_agree = int((both[a] == both[b]).sum())
        kappa = cohen_kappa(list(both[a]), list(both[b]))
        rows.append(
            {
                "stage": stage,
                "reviewer_a": a,
                "reviewer_b": b,
                "n_both": n,
                "n_agree": n_agree,
                "percent_agreement": round(100 * n_agree / n, 1) if n else None,
                "kappa": round(kappa, 3) if kappa is not None else None,
            }
        )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _decide(
    votes: dict[str, str], rule: str, arbiter: str | None, needed: int
) -> tuple[str, list[str]]:
    """(decision or "", the reviewers whose votes carry it)."""
    if rule == "any_include" and "include" in votes.values():
        return "include", sorted(r for r, v in votes.items() if v == "include")
    voters = {r: v for r, v in votes.items() if r != arbiter} if rule == "third_reviewer" else votes
    values = set(voters.values())
    if len(voters) >= needed and len(values) == 1 and values <= set(DECIDED):
        return values.pop(), sorted(voters)
    if rule == "third_reviewer" and votes.get(arbiter) in DECIDED:
        return votes[arbiter], [arbiter]
    return "", []


def _issue(votes: dict[str, str], needed: int) -> str:
    values = set(votes.values())
    if len(values & set(DECIDED)) > 1 or "conflicting" in values:
        return "disagreement"
    if "maybe" in values:
        return "maybe"
    return "too few votes" if len(votes) < needed else ""


def decide(
    per_reviewer: pd.DataFrame,
    stage: str,
    rule: str = "all_agree",
    arbiter: str | None = None,
    votes_needed: int | None = None,
):
    """(decisions: work_key, decision, reason, reviewers; conflicts) under the rule."""
    if rule not in RULES:
        raise ReviewflowError(f"unknown consensus rule {rule!r} (one of {', '.join(RULES)})")
    if rule == "third_reviewer" and not arbiter:
        raise ReviewflowError(
            "consensus third_reviewer needs the arbiter's name (screening_tools: arbiter)"
        )
    screeners = set(per_reviewer["reviewer"]) - ({arbiter} if rule == "third_reviewer" else set())
    needed = votes_needed or min(2, max(1, len(screeners)))
    by_work: dict[str, dict[str, tuple[str, str]]] = {}
    columns = ("work_key", "reviewer", "vote", "reason")
    for work_key, reviewer, vote, reason in zip(*(per_reviewer[c].tolist() for c in columns)):
        by_work.setdefault(work_key, {})[reviewer] = (vote, reason)
    decisions, conflicts = [], []
    for work_key in sorted(by_work):
        votes = {reviewer: vote for reviewer, (vote, _) in by_work[work_key].items()}
        decision, deciders = _decide(votes, rule, arbiter, needed)
        issue = _issue(votes, needed)
        if issue:
            conflicts.append(
                {
                    "stage": stage,
                    "work_key": work_key,
                    "votes": "; ".join(f"{r}: {v}" for r, v in sorted(votes.items())),
                    "issue": issue,
                    "resolved": decision,
                }
            )
        if decision:
            reasons = [by_work[work_key][r][1] for r in deciders] if decision == "exclude" else []
            reason = "; ".join(sorted({x for part in reasons for x in part.split("; ") if x}))
            decisions.append(
                {
                    "work_key": work_key,
                    "decision": decision,
                    "reason": reason,
                    "reviewers": deciders,
                }
            )
    return (
        pd.DataFrame(decisions, columns=["work_key", "decision", "reason", "reviewers"]),
        pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS),
    )
