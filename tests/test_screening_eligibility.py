import pytest
from screening_fixtures import RULES

from reviewflow.errors import ReviewflowError
from reviewflow.screening.eligibility import automation_failure, check_rules, evaluate

AUTOMATION = {"years": [2003, 2024], "languages": ["English"]}
ELIGIBLE = {
    "design": "Double blind RCT",
    "language": "English",
    "participants": "12",
    "adults_only": "yes",
    "outcome_reported": "yes",
}


@pytest.mark.parametrize(
    "year, language, failed",
    [
        (2003, "English", ""),
        (2024, "english", ""),
        (2002, "English", "Year 2002 outside 2003-2024"),
        (2025, "English", "Year 2025 outside 2003-2024"),
        (2010, "German", "Language German not in English"),
        (None, "", ""),  # nothing to decide from: a reviewer screens it
    ],
)
def test_automation_rules(year, language, failed):
    assert automation_failure(year, language, AUTOMATION) == failed


def test_automation_year_checked_before_language():
    assert automation_failure(1990, "German", AUTOMATION).startswith("Year 1990")


def test_no_automation_settings_pass_everything():
    assert automation_failure(1800, "Latin", {}) == ""


def test_all_rules_passed_is_include():
    outcome = evaluate(RULES, ELIGIBLE)
    assert (outcome.decision, outcome.reason, outcome.missing) == ("include", "", "")


@pytest.mark.parametrize(
    "fact, value, reason",
    [
        ("design", "review", "Not a primary clinical study"),  # not_in, case-insensitive
        ("language", "Spanish", "Not in English"),  # in
        ("participants", "4", "Fewer than 5 patients"),  # min
        ("adults_only", "no", "Not limited to adults"),  # equals
        ("outcome_reported", "NO", "No measurable outcome"),
    ],
)
def test_each_rule_fails_with_its_reason(fact, value, reason):
    outcome = evaluate(RULES, ELIGIBLE | {fact: value})
    assert (outcome.decision, outcome.reason) == ("exclude", reason)


@pytest.mark.parametrize(
    "fact, value",
    [
        ("design", "Retrospective"),
        ("language", "ENGLISH"),
        ("participants", "5"),
        ("adults_only", "Yes"),
        ("outcome_reported", "yes"),
    ],
)
def test_each_rule_passes_at_its_edge(fact, value):
    assert evaluate(RULES, ELIGIBLE | {fact: value}).decision == "include"


def test_first_failed_rule_is_the_reason():
    facts = ELIGIBLE | {"design": "Editorial", "participants": "1", "outcome_reported": "no"}
    assert evaluate(RULES, facts).reason == "Not a primary clinical study"
    assert evaluate(list(reversed(RULES)), facts).reason == "No measurable outcome"


def test_case_report_fails_on_participants():
    outcome = evaluate(RULES, ELIGIBLE | {"design": "Case report", "participants": "1"})
    assert outcome.reason == "Fewer than 5 patients"


def test_missing_needed_fact_leaves_report_undecided():
    outcome = evaluate(RULES, ELIGIBLE | {"participants": ""})
    assert (outcome.decision, outcome.missing) == ("", "participants")


def test_fact_after_a_failed_rule_is_not_needed():
    outcome = evaluate(RULES, ELIGIBLE | {"language": "French", "participants": ""})
    assert (outcome.decision, outcome.reason) == ("exclude", "Not in English")


def test_non_numeric_value_for_min_rule_is_an_error():
    with pytest.raises(ReviewflowError, match="not a number"):
        evaluate(RULES, ELIGIBLE | {"participants": "many"}, "full_text.csv:3")


def test_malformed_rules_are_all_reported_naming_the_setting():
    from reviewflow.config import problems

    bad = [
        {"fact": "language", "in": ["English"], "equals": "English", "reason": "y"},
        {"fact": "participants", "min": "five"},
        {"fact": "adults_only", "equals": True, "reason": "z"},
        {"fact": "adults only", "equals": "yes", "reason": "z"},
    ]
    found = problems({"eligibility": {"full_text": bad}}, ["config.yaml"], partial=True)
    assert found == [
        "config.yaml: eligibility.full_text[0]: needs exactly one of "
        "in, not_in, min or equals beside fact and reason",
        "config.yaml: eligibility.full_text[1].reason: missing: this setting is required",
        "config.yaml: eligibility.full_text[1].min: 'five' is not of type 'number'",
        "config.yaml: eligibility.full_text[2].equals: true is a YAML "
        "boolean (yes/no, true/false): write it in "
        'quotes, e.g. "yes"',
        "config.yaml: eligibility.full_text[3].fact: 'adults only' is "
        "not a column name of the full-text decision "
        "file (letters, digits and _)",
    ]


def test_rules_the_schema_lets_through_but_no_report_could_meet_are_all_reported():
    bad = [
        {"fact": "override", "in": ["red"], "reason": "x"},  # a column of the file, not a fact
        {"fact": "language", "in": ["English"], "reason": "  "},
    ]
    with pytest.raises(ReviewflowError) as info:
        check_rules(bad)
    message = str(info.value)
    assert "rule 1: fact 'override' must be a column name" in message
    assert "rule 2: needs a reason" in message


def test_good_rules_pass_the_check():
    check_rules(RULES)
