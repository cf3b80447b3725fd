from pathlib import Path

import pytest
from fixtures import SAMPLES, SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only data beside the repo; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present")
    return SHARED


@pytest.fixture(scope="session")
def samples() -> Path:
    """The real exports: ../shared/samples, whole, when present; else their first records in
    tests/data/samples (tests/data/README.md). Tests of whole files take ``shared`` instead."""
    return SHARED / "samples" if SHARED.is_dir() else SAMPLES
