"""What the README's install (`pip install -e .`, no extras) brings is enough for every command it
shows."""

import tomllib
from importlib.metadata import requires

from fixtures import REPO
from packaging.requirements import Requirement


def _brought(requirement: Requirement) -> set[str]:
    """The packages an installed distribution requires when asked for with ``requirement``'s
    extras."""
    wanted = [Requirement(line) for line in requires(requirement.name)]
    extras = set(requirement.extras) | {""}
    return {
        r.name.lower()
        for r in wanted
        if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in extras)
    }


def test_install_brings_pygments_for_snakemake_report():
    """`snakemake --report report.html` stops with "Python package pygments must be installed"
    without it (it is an optional extra of snakemake, and only pytest brought it before)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = [Requirement(line) for line in project["dependencies"]]
    brought = {r.name.lower() for r in dependencies}.union(
        *(_brought(r) for r in dependencies if r.name == "snakemake")
    )
    assert "pygments" in brought


def test_the_config_schema_is_package_data():
    """A wheel holds what package-data names: the schema every config is checked against."""
    from pathlib import PurePosixPath

    from reviewflow.config import SCHEMA

    shipped = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]
    relative = PurePosixPath(SCHEMA.relative_to(REPO / "reviewflow").as_posix())
    assert any(relative.match(pattern) for pattern in shipped["reviewflow"])


def test_the_package_alone_checks_a_config(tmp_path):
    """reviewflow installed without the repository still refuses a misspelt setting (it used
    to find no schema outside a checkout and check nothing)."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(
        REPO / "reviewflow",
        tmp_path / "site" / "reviewflow",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "config.yaml").write_text("review: {title: t}\nscreenig: {}\n", encoding="utf-8")
    code = "from reviewflow.config import load; load('config.yaml', partial=True)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
    )
    assert result.returncode != 0
    assert "config.yaml: screenig: unknown setting: did you mean screening?" in result.stderr
