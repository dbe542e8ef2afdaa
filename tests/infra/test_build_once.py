"""A build registered with `early` (tests/build_once.py) starts before any test asks for it, is
made once, and when it fails in the background the test that needs it fails with the cause."""

from pathlib import Path

import pytest

from tests.pytest_project import run_pytest_project

ROOT = Path(__file__).resolve().parents[2]

# A run whose build logs each attempt beside the run's folder; the first test never asks for the
# build, and waits to see it made.
CONFTEST = """
from pathlib import Path

import pytest

from tests.build_once import build_once, early, early_builds

FAIL = {fail}


@early("made", "made")
def make(folder: Path) -> None:
    with (folder.parent / "attempts").open("a") as attempts:
        attempts.write("attempt\\n")
    if FAIL:
        raise RuntimeError("the build broke")
    folder.mkdir()
    (folder / "output").write_text("built")


@pytest.fixture(scope="session")
def made(pytestconfig, tmp_path_factory):
    return build_once(pytestconfig, tmp_path_factory, "made", make)
"""

TESTS = """
import time


def test_a_test_that_does_not_ask(tmp_path_factory):
    built = tmp_path_factory.getbasetemp() / "made.built"
    attempts = tmp_path_factory.getbasetemp() / "attempts"
    deadline = time.monotonic() + 10
    while not (built.exists() or attempts.exists()):
        assert time.monotonic() < deadline, "the build did not start before a test asked"
        time.sleep(0.01)


def test_the_test_that_asks(made):
    assert (made / "output").read_text() == "built"
"""


def run(tmp_path: Path, *, fail: bool) -> tuple[str, int]:
    basetemp = tmp_path / "basetemp"
    result = run_pytest_project(
        tmp_path / "project",
        f"pythonpath = {ROOT}\naddopts = --basetemp={basetemp}\n",
        {"conftest.py": CONFTEST.format(fail=fail), "test_it.py": TESTS},
    )
    attempts = (basetemp / "attempts").read_text().count("attempt")
    return result.stdout + result.stderr, attempts


@pytest.mark.slow  # runs pytest
def test_an_early_build_is_made_before_any_test_asks_and_only_once(tmp_path: Path) -> None:
    output, attempts = run(tmp_path, fail=False)
    assert "2 passed" in output, output
    assert attempts == 1, output


@pytest.mark.slow  # runs pytest
def test_a_build_that_fails_early_fails_the_test_that_needs_it(tmp_path: Path) -> None:
    """The background attempt fails and leaves no mark; the test's own attempt shows why."""
    output, attempts = run(tmp_path, fail=True)
    assert "1 passed, 1 error" in output, output
    assert "RuntimeError: the build broke" in output, output
    assert attempts == 2, output
