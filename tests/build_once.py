"""A build made once per test run, however many pytest-xdist workers need it.

The first process to ask builds it while holding a file lock; the others wait on the lock, then
use what it built. Without xdist the run's own temporary folder holds it.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def build_once(
    config: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Path], None],
) -> Path:
    """`build(folder)` fills `folder` (named `name`) the first time; returns that folder."""
    root = tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):  # an xdist worker (not the environment: children inherit it)
        root = root.parent  # the run's folder, which holds every worker's (popen-gw0, ...)
    folder, done = root / name, root / f"{name}.built"
    with FileLock(root / f"{name}.lock"):
        if not done.exists():  # a failed build leaves no mark: the next process tries again
            build(folder)
            done.touch()
    return folder
