"""results/audit/manifest.json: what a run used, so its results can be re-derived.

SHA-256 of the config, every export and every decision file, the config files it
was merged from and the extraction example (``inputs``), every output the run
wrote (``outputs``: tables, ledger, drawings, workbooks), plus the versions of
reviewflow, Python and the dependencies. No timestamps: the same inputs give the
same bytes. The manifest itself and verify's report (written after it, from it)
are the two outputs it cannot hash.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from importlib import metadata
from pathlib import Path

import reviewflow
from reviewflow.config import exports, load, source
from reviewflow.errors import ReviewflowError
from reviewflow.paths import AUDIT
from reviewflow.screening.rounds import decision_sets

UNHASHABLE = tuple(AUDIT.results(".").values())
DEPENDENCIES = (
    "snakemake",
    "rispy",
    "rapidfuzz",
    "pandas",
    "openpyxl",
    "click",
    "matplotlib",
    "pypdf",
)


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dependency_names() -> list[str]:
    """reviewflow's declared dependencies, from its installed metadata."""
    try:
        requires = metadata.requires("reviewflow") or []
    except metadata.PackageNotFoundError:
        return list(DEPENDENCIES)
    return [
        re.split(r"[\s<>=!~;\[]", req, maxsplit=1)[0] for req in requires if "extra ==" not in req
    ]


def decision_files(config: dict, root: Path) -> list[str]:
    """Every round's screening decision files, the screening-tool exports whose decisions
    the screening stage imports and the dedup overrides the config names, that exist."""
    named = [
        path for files in decision_sets(config) for path in files.values() if isinstance(path, str)
    ]
    named += [item["file"] for item in (config.get("screening_tools") or {}).get("imports", [])]
    overrides = config.get("dedup", {}).get("overrides")
    if isinstance(overrides, str):
        named.append(overrides)
    return sorted(p for p in set(named) if (root / p).is_file())


def other_inputs(config: dict, sources=()) -> list[str]:
    """The other files a run reads: the config files its config was merged from
    (config/config.yaml and any --configfile) and the completed extraction example."""
    named = list(sources)
    example = (config.get("extraction") or {}).get("example")
    if isinstance(example, str):
        named.append(example)
    return sorted(set(named))


def build_manifest(config_path: str, root: Path = Path("."), sources=(), outputs=()) -> dict:
    """``sources``: the config files ``config_path`` (the effective config) was merged from;
    ``outputs``: the files the run wrote, relative to ``root``."""
    root = Path(root)
    config = load(root / config_path)

    def entry(path, what="file named in the config", **extra):
        if not (root / path).is_file():
            raise ReviewflowError(f"{what} is missing", str(path))
        return {"path": path, "sha256": sha256(root / path), **extra}

    unhashable = [p for p in outputs if Path(p).as_posix().endswith(UNHASHABLE)]
    if unhashable:
        raise ReviewflowError(
            "the manifest cannot hash itself or verify's report, which are written after it",
            ", ".join(unhashable),
        )

    versions = {}
    for name in sorted(dependency_names(), key=str.lower):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "config": entry(str(config_path)),
        "exports": [
            entry(e["path"], **dict([source(e)]), round=e["round"]) for e in exports(config)
        ],
        "decisions": [entry(p) for p in decision_files(config, root)],
        "inputs": [entry(p) for p in other_inputs(config, sources)],
        "outputs": [entry(str(p), "output to hash") for p in sorted(set(map(str, outputs)))],
        "versions": {
            "reviewflow": reviewflow.__version__,
            "python": platform.python_version(),
            **versions,
        },
    }


def write_manifest(config_path: str, out, root: Path = Path("."), sources=(), outputs=()) -> None:
    text = json.dumps(build_manifest(config_path, root, sources, outputs), indent=2, sort_keys=True)
    Path(out).write_text(text + "\n", encoding="utf-8")
