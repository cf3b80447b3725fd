"""The Slurm profile plans every job the embedded review runs with the threads and resources its
rule declares."""

import importlib.util
import re
import shutil
import subprocess
import sys

import yaml
from fixtures import REPO

# Jobs that run where snakemake runs, never submitted: they need no resources.
LOCAL = {"all", "effective_config"}


def _planned_jobs(output: str) -> list[dict]:
    """Each job of a dry run's plan: its rule, threads and resources (name -> value)."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:\n)", output):
        header = re.match(r"(?:local)?rule (\w+):\n", block)
        if not header:
            continue
        fields = dict(re.findall(r"^\s+(\w+): (.*)$", block, re.M))
        resources = dict(re.findall(r"(\w+)=([^,\s]+)", fields.get("resources", "")))
        jobs.append(
            {"rule": header.group(1), "threads": int(fields.get("threads", 1)), **resources}
        )
    return jobs


def test_a_dry_run_under_the_slurm_profile_plans_every_job_with_its_resources(tmp_path):
    for part in ("Snakefile", "workflow", "config", "raw_exports", "profiles"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    profile = tmp_path / "profiles/slurm/config.yaml"
    settings = yaml.safe_load(profile.read_text())
    assert settings["executor"] == "slurm"
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        # Without the `slurm` extra, plan with the profile's other settings on the default executor.
        del settings["executor"]
        profile.write_text(yaml.safe_dump(settings))
    # --cores: the plan shows the threads a rule asks for, not those of the machine planning it.
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--profile", "profiles/slurm", "--cores", "64"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    jobs = [job for job in _planned_jobs(result.stdout + result.stderr) if job["rule"] not in LOCAL]
    planned = {job["rule"] for job in jobs}
    assert planned == {
        "ingest",
        "dedup",
        "screen",
        "counts",
        "prisma",
        "extraction_workbooks",
        "extraction_example",
        "export_screening",
        "manifest",
        "verify",
    }
    assert len([job for job in jobs if job["rule"] == "ingest"]) == 5  # one per export
    for job in jobs:
        assert int(job["mem_mb"]) >= 250 and int(job["runtime"]) >= 5, job
    dedup = next(job for job in jobs if job["rule"] == "dedup")
    assert dedup["threads"] == 4 and int(dedup["mem_mb"]) >= 1000
