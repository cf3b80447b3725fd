"""The rules run with the config Snakemake uses, --configfile included."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fixtures import REPO


@pytest.mark.slow
def test_configfile_reaches_the_rules(tmp_path):
    for part in ("Snakefile", "workflow", "config"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    base = yaml.safe_load((REPO / "config/config.yaml").read_text())
    update = {
        "rounds": base["rounds"]
        + [
            {
                "name": "update",
                "searches": [
                    {
                        "database": "MEDLINE",
                        "date": "2025-06-30",
                        "exports": ["raw_exports/update/medline.nbib"],
                    }
                ],
            }
        ],
        "eligibility": {"automation": {"years": [2003, 2025]}},
    }
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(update))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "1",
            "results/config.yaml",
            "--configfile",
            "other.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    used = yaml.safe_load((tmp_path / "results/config.yaml").read_text())
    # Snakemake deep-merges the --configfile over config/config.yaml: lists replace, mappings merge.
    assert [r["name"] for r in used["rounds"]] == ["original", "update"]
    assert used["eligibility"]["automation"] == {"years": [2003, 2025], "languages": ["English"]}
    assert used["screening"] == base["screening"]


def _workflow_copy(root: Path) -> None:
    for part in ("Snakefile", "workflow", "config", "profiles"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, root / part)


def test_a_dry_run_or_lint_writes_nothing(tmp_path):
    _workflow_copy(tmp_path)
    shutil.copytree(REPO / "raw_exports", tmp_path / "raw_exports")
    for flag in ("-n", "--lint"):
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", flag], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert not (tmp_path / "results").exists(), flag


@pytest.mark.slow
def test_a_changed_configfile_reruns_what_reads_the_config(tmp_path):
    # The effective config is a rule's output whose text is a param: the rules that read it
    # rerun when a --configfile changes it, and only then. Table 1 reads only the config and
    # the completed example, so it is the cheapest rule that depends on the config.
    _workflow_copy(tmp_path)
    target = tmp_path / "results/extraction/example/table1.csv"

    def run(*options) -> int:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "snakemake",
                "--cores",
                "1",
                str(target.relative_to(tmp_path)),
                *options,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return target.stat().st_mtime_ns

    (tmp_path / "other.yaml").write_text(yaml.safe_dump({"review": {"title": "Another title"}}))
    first = run()
    assert run() == first  # nothing changed, nothing reruns
    assert run("--configfile", "other.yaml") > first
    assert (
        yaml.safe_load((tmp_path / "results/config.yaml").read_text())["review"]["title"]
        == "Another title"
    )


@pytest.mark.slow
def test_a_failed_step_shows_its_error_on_the_console(tmp_path):
    # The rules send reviewflow's stderr to results/logs/; the workflow profile makes
    # Snakemake print a failed step's log, so the user reads "file:line: what" at once.
    _workflow_copy(tmp_path)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw/bad.ris").write_text(
        "TY  - JOUR\nTI  - A title\nER  - \n\nTY  - JOUR\nTI  - Cut off\n", encoding="utf-8"
    )
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config["rounds"] = [
        {
            "name": "one",
            "searches": [{"database": "Embase", "date": "2025-01-10", "exports": ["raw/bad.ris"]}],
        }
    ]
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "results/records/raw/bad.ris.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    console = result.stdout + result.stderr
    assert "raw/bad.ris:" in console and "truncated" in console, console


def _shipped_config() -> dict:
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def test_cli_names_each_config_mistake_with_its_file(tmp_path):
    from click.testing import CliRunner

    from reviewflow.cli import cli

    config = _shipped_config()
    config["screening"]["title_abstrac"] = config["screening"].pop("title_abstract")
    config["rounds"][0]["searches"][0]["date"] = "2024-13-45"
    config["screening_tool"] = config.pop("screening_tools")  # a misspelt optional section
    text = yaml.safe_dump(config).replace(
        "date: '2024-04-15'", "date: 2024-04-15", 1
    )  # unquoted: a YAML date
    (tmp_path / "bad.yaml").write_text(text)
    result = CliRunner().invoke(
        cli, ["manifest", "--config", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output and "Traceback" not in result.output
    assert (
        "bad.yaml: screening.title_abstrac: unknown setting: did you mean title_abstract?"
        in result.output
    )
    assert "title_abstract: missing" not in result.output  # the same mistake, said once
    assert "rounds[0].searches[0].date: '2024-13-45' is not a date YYYY-MM-DD" in result.output
    assert 'rounds[0].searches[1].date: write the date in quotes: "2024-04-15"' in result.output
    assert (
        "bad.yaml: screening_tool: unknown setting: did you mean screening_tools?" in result.output
    )
    assert len(result.output.strip().split("\n")) == 4  # one line per mistake, no schema dump


@pytest.mark.slow
def test_snakemake_rejects_an_impossible_search_date(tmp_path):
    _workflow_copy(tmp_path)
    config = _shipped_config()
    config["rounds"][0]["searches"][0]["date"] = "2024-04-31x"
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0 and "2024-04-31x" in result.stdout + result.stderr


@pytest.mark.slow
def test_an_export_named_by_two_searches_is_refused(tmp_path):
    # Its records would be counted twice, under two databases; dedup used to fail on a bare
    # record_id.
    from click.testing import CliRunner

    from reviewflow.cli import cli

    _workflow_copy(tmp_path)
    config = _shipped_config()
    config["rounds"][0]["searches"].append(
        {"database": "CINAHL", "date": "2024-04-15", "exports": ["raw_exports/embase.ris"]}
    )
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    expected = "raw_exports/embase.ris (original: Embase; original: CINAHL)"
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0 and expected in result.stdout + result.stderr
    result = CliRunner().invoke(
        cli,
        [
            "manifest",
            "--config",
            str(tmp_path / "config/config.yaml"),
            "--out",
            str(tmp_path / "m.json"),
        ],
    )
    assert result.exit_code == 2 and expected in result.output


# --- settings the schema cannot check: one line each, naming the setting ----------------------


def _cli_errors(tmp_path, config: dict, command: str = "manifest") -> str:
    from click.testing import CliRunner

    from reviewflow.cli import cli

    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(config))
    args = {
        "manifest": ["manifest", "--config", str(path), "--out", str(tmp_path / "m.json")],
        "screen": [
            "screen",
            str(tmp_path / "r.csv"),
            "--clusters",
            str(tmp_path / "c.csv"),
            "--works",
            str(tmp_path / "w.csv"),
            "--config",
            str(path),
            "--out",
            str(tmp_path / "out"),
        ],
        "prisma": [
            "prisma",
            "--ledger",
            str(tmp_path / "l.csv"),
            "--counts",
            str(tmp_path / "c.json"),
            "--config",
            str(path),
            "--out",
            str(tmp_path / "out"),
        ],
        "import-decisions": [
            "import-decisions",
            str(REPO / "tests/data/exchange/rayyan_articles.ris"),
            "--tool",
            "rayyan",
            "--stage",
            "title_abstract",
            "--works",
            str(REPO / "tests/data/exchange/works.csv"),
            "--out",
            str(tmp_path / "ta.csv"),
            "--config",
            str(path),
        ],
        "extraction": [
            "extraction",
            "read",
            str(REPO / "config/extraction/koczanowski2024.csv"),
            "--config",
            str(path),
            "--out",
            str(tmp_path / "x"),
        ],
    }[command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def _mistake(config: dict, name: str):
    if name == "years reversed":
        config["eligibility"]["automation"]["years"] = [2024, 2003]
        return "review.yaml: eligibility.automation.years: [2024, 2003] is reversed"
    if name == "search in the future":
        config["rounds"][0]["searches"][2]["date"] = "2999-01-01"
        return "review.yaml: rounds[0].searches[2].date: 2999-01-01 is in the future"
    if name == "no such day":
        config["rounds"][0]["searches"][1]["date"] = "2023-02-30"
        return "review.yaml: rounds[0].searches[1].date: '2023-02-30': there is no such day"
    if name == "search before the year range":
        config["eligibility"]["automation"]["years"] = [2025, 2026]
        return "review.yaml: rounds[0].searches[0].date: 2024-04-15 is before the first year of"
    if name == "rounds out of order":
        config["rounds"].append(
            {
                "name": "update",
                "searches": [
                    {
                        "database": "MEDLINE",
                        "date": "2023-01-01",
                        "exports": ["raw_exports/update/medline.nbib"],
                    }
                ],
            }
        )
        return (
            "review.yaml: rounds[1].searches[0].date: 2023-01-01 is "
            "before rounds[0].searches[0].date"
        )
    if name == "two rounds, one name":
        config["rounds"].append(
            {
                "name": "original",
                "searches": [
                    {
                        "database": "MEDLINE",
                        "date": "2025-01-01",
                        "exports": ["raw_exports/update/medline.nbib"],
                    }
                ],
            }
        )
        return "review.yaml: rounds[1].name: 'original' names an earlier round too"
    if name == "contradictory full-text rules":
        config["eligibility"]["full_text"].append(
            {"fact": "language", "in": ["French"], "reason": "Not in French"}
        )
        return (
            "review.yaml: eligibility.full_text[5]: no language passes "
            "both this rule and eligibility.full_text[1]"
        )
    if name == "arbiter without third_reviewer":
        config["screening_tools"]["arbiter"] = "Ana"
        return (
            "review.yaml: screening_tools.arbiter: an arbiter decides "
            "only with consensus: third_reviewer"
        )
    raise AssertionError(name)


MISTAKES = [
    "years reversed",
    "search in the future",
    "no such day",
    "search before the year range",
    "rounds out of order",
    "two rounds, one name",
    "contradictory full-text rules",
    "arbiter without third_reviewer",
]


@pytest.mark.parametrize("name", MISTAKES)
def test_an_impossible_setting_stops_naming_it(tmp_path, name):
    config = _shipped_config()
    expected = _mistake(config, name)
    assert expected in _cli_errors(tmp_path, config)


@pytest.mark.parametrize("command", ["screen", "prisma", "import-decisions", "extraction"])
def test_every_command_given_a_config_checks_its_settings(tmp_path, command):
    config = _shipped_config()
    expected = _mistake(config, "years reversed")
    assert expected in _cli_errors(tmp_path, config, command)


@pytest.mark.slow
def test_snakemake_stops_on_reversed_years_naming_the_setting_and_file(tmp_path):
    _workflow_copy(tmp_path)
    (tmp_path / "update.yaml").write_text(
        yaml.safe_dump({"eligibility": {"automation": {"years": [2024, 2003]}}})
    )
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--configfile", "update.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert (
        "update.yaml: eligibility.automation.years: [2024, 2003] is reversed"
        in result.stdout + result.stderr
    )


@pytest.mark.slow
def test_snakemake_config_typo_is_one_line_with_the_closest_key(tmp_path):
    _workflow_copy(tmp_path)
    text = (tmp_path / "config/config.yaml").read_text().replace("    searches:", "    serches:", 1)
    (tmp_path / "config/config.yaml").write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0
    console = result.stdout + result.stderr
    # Snakemake's own lines (profile, DAG) may come and go with its version; the mistake is said
    # once.
    ours = [line for line in console.splitlines() if "config.yaml" in line]
    assert ours == [
        "config/config.yaml: rounds[0].serches: unknown setting: did you mean searches?"
    ], console
    assert "Failed validating" not in console and "Traceback" not in console


# --- one database, one search per round -------------------------------------------------------


def test_two_searches_of_one_database_in_a_round_are_refused_naming_both(tmp_path):
    config = _shipped_config()
    config["rounds"][0]["searches"].append(
        {"database": "MEDLINE", "date": "2024-04-15", "exports": ["raw_exports/medline_ovid.ris"]}
    )
    output = _cli_errors(tmp_path, config)
    assert (
        "review.yaml: rounds[0].searches[5].database: 'MEDLINE' also names rounds[0].searches[0]"
        in output
    )
    assert "MEDLINE (Ovid)" in output and "under one search's exports" in output


def test_one_database_in_each_round_is_an_update():
    from reviewflow.config import load

    config = load(REPO / "config/update-example.yaml")
    assert [s["database"] for s in config["rounds"][0]["searches"]] == [
        s["database"] for s in config["rounds"][1]["searches"]
    ]


def test_a_command_reads_the_defaults_the_workflow_fills_in(tmp_path):
    """A command given config/config.yaml (not results/config.yaml) takes the settings the
    config leaves out as the workflow's rules do: the schema's defaults, filled in alike."""
    import copy

    from snakemake.utils import validate

    from reviewflow.config import SCHEMA, load

    config = _shipped_config()
    del config["dedup"]
    config["screening_tools"].pop("export_works")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    filled = copy.deepcopy(config)
    validate(filled, str(SCHEMA))  # as the Snakefile does, filling in defaults
    assert (
        filled["dedup"]["cochrane_versions"] == "same"
        and filled["screening_tools"]["export_works"] == "pending"
    )
    assert load(tmp_path / "config.yaml") == filled
