from pathlib import Path

import pytest

from fixtures import SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only data beside the repo; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present")
    return SHARED
