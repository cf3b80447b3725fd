"""The package's stages depend one way: ingest -> dedup -> exchange -> screening -> prisma ->
extraction -> audit, over shared pieces that import no stage. Read from every module's
imports (function-local ones too), so a change that makes an earlier stage reach into a
later one, or a cycle between two stages, fails here rather than in a reader's head."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reviewflow"

# Each top-level module or subpackage of reviewflow, by layer: a module may import its own
# stage and any earlier layer, never a later one. The shared pieces (layer 0) import only
# each other. The entry points drive every stage and nothing imports them.
LAYERS = {
    **dict.fromkeys(
        ("errors", "safe", "records", "xlsx", "config", "paths", "contracts", "decision_files"), 0
    ),
    "ingest": 1,
    "dedup": 2,
    "exchange": 3,  # the hand-off to screening tools: works out, decisions back in
    "screening": 4,
    "prisma": 5,
    "extraction": 6,
    "audit": 7,
    **dict.fromkeys(("cli", "__main__", "init"), 8),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every reviewflow module ``path`` imports; ``from a import b`` is
    a.b when b is a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append((node.lineno, target if is_module(target) else base))
    # The package itself (``import reviewflow``: its version) Python imports before any
    # submodule anyway: importing it adds no dependency.
    return [(line, target) for line, target in found if target.startswith("reviewflow.")]


def layer_of(module: str) -> tuple[str, int]:
    top = module.split(".")[1]
    if top not in LAYERS:
        pytest.fail(f"reviewflow.{top} has no layer: place it in tests/test_layers.py LAYERS")
    return top, LAYERS[top]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_module_imports_a_later_stage(path):
    here, rank = layer_of(module_name(path))
    later = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: reviewflow.{here} "
        f"(layer {rank}) imports {target} "
        f"(layer {layer_of(target)[1]})"
        for line, target in imported(path)
        if layer_of(target)[1] > rank
    ]
    assert later == []
