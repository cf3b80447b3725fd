"""The Python API of docs/api.md: its names, its cheap import and its example."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import reviewflow

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs/api.md").read_text(encoding="utf-8")


def test_every_name_of_the_api_resolves_and_is_documented():
    for name in reviewflow.__all__:
        assert callable(getattr(reviewflow, name)), name
        assert f"`{name}" in DOC, f"{name} is not in docs/api.md"


def test_importing_the_package_loads_no_stage():
    code = (
        "import json, sys, reviewflow\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in "
        "sys.modules} & {'pandas', 'numpy', 'yaml'})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.slow
def test_the_documented_example_prints_what_the_doc_says(tmp_path):
    example = re.search(r"```python\n(.*?)```", DOC, re.S).group(1)
    printed = re.search(r"It prints:\n\n((?:    .*\n)+)", DOC).group(1).replace("    ", "")
    # The example writes into a temporary directory: here, the test's. Python's warnings
    # (a dependency's deprecations) are not the library's output.
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", example],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=dict(os.environ, TMPDIR=str(tmp_path)),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == printed
    assert done.stderr == ""  # the library prints nothing of its own
