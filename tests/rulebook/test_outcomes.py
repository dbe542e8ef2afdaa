"""The pytest plugin `rulebook versions` collects outcomes with: one entry per test, a failure in
any phase wins, `timing` tests are flagged, a module that fails to import is recorded, and no
message keeps a path of the machine that ran it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pytest_project import child_pytest_env

PYTEST_MAJOR = int(pytest.__version__.split(".")[0])
TESTS = """\
from pathlib import Path

import pytest


def test_passes() -> None:
    pass


def test_fails(tmp_path: Path) -> None:
    assert 1 == 2, f"one is not two: {Path.cwd()}/x.py, {tmp_path}/y"


@pytest.mark.skip(reason="not here")
def test_skipped() -> None:
    pass


@pytest.mark.timing
def test_measures_time() -> None:
    pass


@pytest.fixture
def breaks_on_teardown():
    yield
    raise RuntimeError("teardown failed")


def test_fails_after_passing(breaks_on_teardown: None) -> None:
    pass
"""


@pytest.mark.slow
def test_every_outcome_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(TESTS, encoding="utf-8")
    (tmp_path / "test_broken.py").write_text("import not_a_module\n", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    timing: measures time\n", encoding="utf-8"
    )
    outcomes = tmp_path / "outcomes.json"

    subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p"),
            *("rulebook.outcomes", f"--outcomes={outcomes}", "--continue-on-collection-errors"),
        ],
        cwd=tmp_path,
        env=child_pytest_env(),
        capture_output=True,
        check=False,
    )

    recorded = json.loads(outcomes.read_text(encoding="utf-8"))
    assert recorded == {
        "test_broken.py": {
            "outcome": "failed",
            "timing": False,
            "message": "ModuleNotFoundError: No module named 'not_a_module'",
        },
        "test_sample.py::test_passes": {"outcome": "passed", "timing": False},
        "test_sample.py::test_fails": {
            "outcome": "failed",
            "timing": False,
            "message": "AssertionError: one is not two: x.py, <tmp>/test_fails0/y",
        },
        "test_sample.py::test_skipped": {"outcome": "skipped", "timing": False},
        "test_sample.py::test_measures_time": {"outcome": "passed", "timing": True},
        "test_sample.py::test_fails_after_passing": {
            "outcome": "failed",
            "timing": False,
            "message": "RuntimeError: teardown failed",
        },
    }


@pytest.mark.slow
def test_a_grouped_test_is_recorded_under_the_id_its_page_names(tmp_path: Path) -> None:
    """Under pytest-xdist's `loadgroup`, pytest 8 shows a grouped test as
    `test_grouped.py::test_together@pair` (pytest 9 without the `@pair`); the outcome is
    recorded under `test_grouped.py::test_together`, the id a rule's `proven_by` names, and a
    parametrized case keeps its brackets."""
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n\n\n"
        "@pytest.mark.xdist_group('pair')\n"
        "def test_together() -> None:\n    pass\n\n\n"
        "@pytest.mark.xdist_group('pair')\n"
        "@pytest.mark.parametrize('n', [1])\n"
        "def test_case(n: int) -> None:\n    assert n == 2\n",
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    outcomes = tmp_path / "outcomes.json"

    shown = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "xdist.plugin"),
            *("-n", "1", "--dist", "loadgroup", "-rA"),
            *("-p", "rulebook.outcomes", f"--outcomes={outcomes}"),
        ],
        cwd=tmp_path,
        env=child_pytest_env(),
        capture_output=True,
        text=True,
        check=False,
    ).stdout

    # What pytest shows of the id: xdist's group is part of it on pytest 8.
    group = "@pair" if PYTEST_MAJOR < 9 else ""
    assert f"PASSED test_grouped.py::test_together{group}\n" in shown
    recorded = json.loads(outcomes.read_text(encoding="utf-8"))
    assert sorted(recorded) == ["test_grouped.py::test_case[1]", "test_grouped.py::test_together"]
    assert recorded["test_grouped.py::test_case[1]"]["outcome"] == "failed"
