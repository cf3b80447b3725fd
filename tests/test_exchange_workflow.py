"""The to_screen export of the workflow: pending works by default, every work on request."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from fixtures import REPO

from reviewflow.ingest import read_export


def _drop_rows(path, keep) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for i, line in enumerate(lines) if keep(i, line)), encoding="utf-8"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "section",
    [
        {},
        {"export_works": "pending", "export_stage": "title_abstract"},
        {"export_works": "all"},
    ],
)
def test_to_screen_exports_the_pending_works_unless_all_are_asked_for(tmp_path, section):
    for part in ("Snakefile", "workflow", "config", "raw_exports"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    # Five works still to screen on title and abstract, two on full text.
    excluded = [
        i
        for i, line in enumerate(
            (tmp_path / "config/screening/title_abstract.csv")
            .read_text(encoding="utf-8")
            .splitlines()
        )
        if ",exclude," in line
    ][:5]
    _drop_rows(tmp_path / "config/screening/title_abstract.csv", lambda i, line: i not in excluded)
    _drop_rows(tmp_path / "config/screening/full_text.csv", lambda i, line: i not in (1, 2))
    (tmp_path / "other.yaml").write_text(yaml.safe_dump({"screening_tools": section}))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "1",
            "results/screening/to_screen.ris",
            "--configfile",
            "other.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    exported = read_export(tmp_path / "results/screening/to_screen.ris")
    works = pd.read_csv(tmp_path / "results/dedup/works.csv", dtype=str, keep_default_na=False)
    pending_list = tmp_path / "results/screening/pending.csv"
    if section.get("export_works") == "all":
        assert len(exported) == len(works)
        assert (
            not pending_list.exists()
        )  # every work goes out, so the screening stage need not run first
        return
    # The pending list is made by the screening stage, so that rule ran first.
    pending = pd.read_csv(pending_list, dtype=str, keep_default_na=False)
    assert sorted(pending["stage"]) == ["full_text"] * 2 + ["title_abstract"] * 5
    if "export_stage" in section:
        pending = pending[pending["stage"] == section["export_stage"]]
    assert len(exported) == len(pending)
