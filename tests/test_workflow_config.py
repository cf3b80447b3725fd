"""The rules run with the config Snakemake uses, --configfile included."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_configfile_reaches_the_rules(tmp_path):
    for part in ("Snakefile", "workflow", "config"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    base = yaml.safe_load((REPO / "config/config.yaml").read_text())
    update = {"rounds": base["rounds"] + [{"name": "update", "searches": [
        {"database": "MEDLINE", "date": "2025-06-30", "exports": ["raw_exports/update/medline.nbib"]}]}],
        "eligibility": {"automation": {"years": [2003, 2025]}}}
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(update))
    result = subprocess.run([sys.executable, "-m", "snakemake", "--list-rules", "--configfile", "other.yaml"],
                            cwd=tmp_path, capture_output=True, text=True)
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


def test_a_failed_step_shows_its_error_on_the_console(tmp_path):
    # The rules send reviewflow's stderr to results/logs/; the workflow profile makes
    # Snakemake print a failed step's log, so the user reads "file:line: what" at once.
    _workflow_copy(tmp_path)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw/bad.ris").write_text("TY  - JOUR\nTI  - A title\nER  - \n\nTY  - JOUR\nTI  - Cut off\n",
                                          encoding="utf-8")
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config["rounds"] = [{"name": "one", "searches": [{"database": "Embase", "date": "2025-01-10",
                                                      "exports": ["raw/bad.ris"]}]}]
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "results/records/raw/bad.ris.csv"],
                            cwd=tmp_path, capture_output=True, text=True)
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
    text = yaml.safe_dump(config).replace("date: '2024-04-15'", "date: 2024-04-15", 1)  # unquoted: a YAML date
    (tmp_path / "bad.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["manifest", "--config", str(tmp_path / "bad.yaml"), "--out",
                                      str(tmp_path / "m.json")])
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output and "Traceback" not in result.output
    assert "'title_abstrac' was unexpected" in result.output
    assert "rounds[0].searches[0].date: '2024-13-45' is not a date YYYY-MM-DD" in result.output
    assert 'rounds[0].searches[1].date: write the date in quotes: "2024-04-15"' in result.output
    assert "'screening_tool' was unexpected" in result.output


def test_snakemake_rejects_an_impossible_search_date(tmp_path):
    _workflow_copy(tmp_path)
    config = _shipped_config()
    config["rounds"][0]["searches"][0]["date"] = "2024-04-31x"
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and "2024-04-31x" in result.stdout + result.stderr


def test_an_export_named_by_two_searches_is_refused(tmp_path):
    # Its records would be counted twice, under two databases; dedup used to fail on a bare record_id.
    from click.testing import CliRunner

    from reviewflow.cli import cli

    _workflow_copy(tmp_path)
    config = _shipped_config()
    config["rounds"][0]["searches"].append({"database": "CINAHL", "date": "2024-04-15",
                                            "exports": ["raw_exports/embase.ris"]})
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    expected = "raw_exports/embase.ris (original: Embase; original: CINAHL)"
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and expected in result.stdout + result.stderr
    result = CliRunner().invoke(cli, ["manifest", "--config", str(tmp_path / "config/config.yaml"),
                                      "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and expected in result.output
