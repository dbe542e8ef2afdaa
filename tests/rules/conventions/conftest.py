"""Fixtures for the Project conventions rules."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mypy cache of the run's own, so no test shares `.mypy_cache` with a concurrent run."""
    return tmp_path_factory.mktemp("mypy-cache")
