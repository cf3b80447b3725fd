"""Eligibility rules from the config's ``eligibility:`` section.

Automation rules (publication years, languages) are decided from a record's
metadata before screening. Full-text rules are a list of dicts, each testing one
fact a reviewer recorded about a report with exactly one of ``in``, ``not_in``,
``min`` or ``equals``; they are evaluated in order and the first that fails gives
the exclusion reason. Text compares case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewflow.decision_files import FACTS, FRAME_COLUMNS
from reviewflow.errors import ReviewflowError


def automation_failure(year, language, settings: dict) -> str:
    """The automation rule a record fails ("" if it passes or cannot be decided).

    A record without a year or a language is not excluded for it: an automation
    tool cannot decide what the metadata does not say, so a reviewer screens it.
    """
    years = settings.get("years")
    if years and year is not None:
        low, high = years
        if not low <= int(year) <= high:
            return f"Year {int(year)} outside {low}-{high}"
    languages = settings.get("languages")
    if (
        languages
        and language
        and language.casefold() not in {lang.casefold() for lang in languages}
    ):
        return f"Language {language} not in {', '.join(languages)}"
    return ""


@dataclass(frozen=True)
class Outcome:
    """What the full-text rules make of one report's facts."""

    decision: str  # "include", "exclude", or "" when a needed fact is missing
    reason: str  # the first failed rule's reason ("" when included)
    missing: str  # the fact that stopped evaluation ("" unless undecided)


def check_rules(rules: list[dict], where: str = "config eligibility.full_text") -> None:
    """Raise for every rule the schema lets through but no report could be judged by, at
    once: a fact that is one of the decision file's own columns, a blank reason."""
    problems = []
    for number, rule in enumerate(rules, start=1):
        if rule["fact"] in FRAME_COLUMNS:
            problems.append(
                f"rule {number}: fact {rule['fact']!r} must be a column name "
                "of the full-text decision "
                f"file, e.g. one of {', '.join(FACTS)} or one of the review's own, but not "
                f"{', '.join(FRAME_COLUMNS)}"
            )
        if not str(rule["reason"]).strip():
            problems.append(f"rule {number}: needs a reason (what the PRISMA diagram prints)")
    if problems:
        raise ReviewflowError("bad eligibility rules:\n  " + "\n  ".join(problems), where)


def _passes(rule: dict, value: str, where: str) -> bool:
    if "min" in rule:
        try:
            number = float(value)
        except ValueError:
            raise ReviewflowError(f"{rule['fact']} {value!r} is not a number", where) from None
        return number >= rule["min"]
    text = value.casefold()
    if "equals" in rule:
        return text == str(rule["equals"]).casefold()
    listed = {str(item).casefold() for item in rule.get("in", rule.get("not_in"))}
    return (text in listed) == ("in" in rule)


def evaluate(rules: list[dict], facts: dict, where: str = "") -> Outcome:
    """Apply the rules in order to one report's facts.

    A fact a rule needs but the reviewer has not recorded leaves the report
    undecided; facts that only later rules need do not matter once a rule fails.
    """
    for rule in rules:
        value = str(facts.get(rule["fact"]) or "").strip()
        if not value:
            return Outcome("", "", rule["fact"])
        if not _passes(rule, value, where):
            return Outcome("exclude", str(rule["reason"]), "")
    return Outcome("include", "", "")
