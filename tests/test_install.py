"""What the README's install (`pip install -e .`, no extras) brings is enough for every command it shows."""

import tomllib
from importlib.metadata import requires

from packaging.requirements import Requirement

from fixtures import REPO


def _brought(requirement: Requirement) -> set[str]:
    """The packages an installed distribution requires when asked for with ``requirement``'s extras."""
    wanted = [Requirement(line) for line in requires(requirement.name)]
    extras = set(requirement.extras) | {""}
    return {r.name.lower() for r in wanted if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in extras)}


def test_install_brings_pygments_for_snakemake_report():
    """`snakemake --report report.html` stops with "Python package pygments must be installed"
    without it (it is an optional extra of snakemake, and only pytest brought it before)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = [Requirement(line) for line in project["dependencies"]]
    brought = {r.name.lower() for r in dependencies}.union(*(_brought(r) for r in dependencies if r.name == "snakemake"))
    assert "pygments" in brought
