"""A build made once per test run, however many pytest-xdist workers need it.

The first process to ask builds it while holding a file lock; the others wait on the lock, then
use what it built. Without xdist the run's own temporary folder holds it.

A build registered with `early` starts in a background thread before the first test, when a
selected test needs its fixture (the autouse fixture `early_builds`, which tests/conftest.py
brings in): by the time the first of those tests runs, the build is done or under way, and no
worker sits idle waiting for it while another builds it. The thread takes the same lock, so a
test asking meanwhile waits for that build instead of making another; a build that fails in
the background leaves no mark, and the test that asks makes it again and shows the failure.
"""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock

type Build = Callable[[Path], None]

# fixture name -> (build name, build): the builds to start once collection is done
EARLY: dict[str, tuple[str, Build]] = {}


def _run_folder(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):  # an xdist worker (not the environment: children inherit it)
        root = root.parent  # the run's folder, which holds every worker's (popen-gw0, ...)
    return root


def build_once(
    config: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    build: Build,
) -> Path:
    """`build(folder)` fills `folder` (named `name`) the first time; returns that folder."""
    return _build_in(_run_folder(config, tmp_path_factory), name, build)


def _build_in(root: Path, name: str, build: Build) -> Path:
    folder, done = root / name, root / f"{name}.built"
    with FileLock(root / f"{name}.lock"):
        if not done.exists():  # a failed build leaves no mark: the next process tries again
            build(folder)
            done.touch()
    return folder


def early(fixture: str, name: str) -> Callable[[Build], Build]:
    """Register `build` (made with `build_once(..., name, build)` by the session fixture
    `fixture`) to start in the background once a selected test is seen to need `fixture`."""

    def register(build: Build) -> Build:
        assert EARLY.setdefault(fixture, (name, build)) == (name, build), f"{fixture} twice"
        return build

    return register


def start_early_builds(
    session: pytest.Session, tmp_path_factory: pytest.TempPathFactory
) -> list[threading.Thread]:
    """Start, each in a thread, the registered builds some selected test needs."""
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    # Made here, not in a thread: pytest creates the run's folder on first use, unlocked.
    root = _run_folder(session.config, tmp_path_factory)
    threads = [
        threading.Thread(
            target=_build_in_background,
            args=(root, name, build),
            name=f"early build: {name}",
            daemon=True,
        )
        for fixture, (name, build) in EARLY.items()
        if fixture in needed
    ]
    for thread in threads:
        thread.start()
    return threads


def _build_in_background(root: Path, name: str, build: Build) -> None:
    try:
        _build_in(root, name, build)
    except Exception:  # the test that asks builds it again and fails there, with the cause
        return


@pytest.fixture(scope="session", autouse=True)
def early_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Before the first test, start the builds selected tests will need; at the end, wait for
    them, so none outlives the run (a test that needed one waited already)."""
    threads = start_early_builds(request.session, tmp_path_factory)
    yield
    for thread in threads:
        thread.join()
