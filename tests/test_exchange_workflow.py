"""The to_screen export of the workflow: pending works by default, every work on request."""

import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import REPO


@pytest.mark.parametrize("section, options", [
    ({}, [("--pending", "results/screening/pending.csv")]),
    ({"export_works": "pending", "export_stage": "title_abstract"},
     [("--pending", "results/screening/pending.csv"), ("--stage", "title_abstract")]),
    ({"export_works": "all"}, []),
])
def test_to_screen_exports_the_pending_works_unless_all_are_asked_for(tmp_path, section, options):
    for part in ("Snakefile", "workflow", "config", "raw_exports"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    (tmp_path / "other.yaml").write_text(yaml.safe_dump({"screening_tools": section}))
    result = subprocess.run([sys.executable, "-m", "snakemake", "results/screening/to_screen.ris", "-n", "-p",
                             "--configfile", "other.yaml"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    command = next(line for line in result.stdout.splitlines() if "reviewflow export-screening" in line)
    words = shlex.split(command[command.index("reviewflow"):])  # as the shell reads it, whatever the quoting
    given = list(zip(words, words[1:]))
    for option in options:
        assert option in given
    assert ("--pending" in words) is bool(options)
    # The pending list is made by the screening stage, so that rule runs first.
    assert ("rule screen:" in result.stdout) is bool(options)
