"""Timing proofs run last and alone: under pytest-xdist, after every other test has finished
and every other worker has stopped; in a run on one process, at the end of the collection.
Under xdist, slow tests run first."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pytest_project import child_pytest_env

ROOT = Path(__file__).resolve().parents[2]

# Each test records when it ran and where; the timing tests are declared first and the slow
# one last, on purpose.
PROJECT_TESTS = """
import json, os, time
from pathlib import Path

import pytest


def record(name, start):
    entry = {"name": name, "start": start, "end": time.monotonic(),
             "worker": os.environ.get("PYTEST_XDIST_WORKER", "main")}
    with Path(os.environ["RECORD"]).open("a") as out:
        out.write(json.dumps(entry) + "\\n")


@pytest.mark.timing
@pytest.mark.parametrize("n", range(2))
def test_timed(n):
    start = time.monotonic()
    time.sleep(0.05)
    record(f"timed{n}", start)


@pytest.mark.parametrize("n", range(12))
def test_other(n):
    start = time.monotonic()
    time.sleep(0.1)
    record(f"other{n}", start)


@pytest.mark.slow
def test_slow():
    start = time.monotonic()
    time.sleep(0.1)
    record("slow", start)
"""

# A worker's last act before it reports itself finished.
PROJECT_CONFTEST = """
import json, os, time
from pathlib import Path


def pytest_sessionfinish(session):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        with Path(os.environ["RECORD"]).open("a") as out:
            out.write(json.dumps({"worker_gone": worker, "end": time.monotonic()}) + "\\n")
"""


PLUGIN = ("-p", "tests.scheduling")


def run_project(tmp_path: Path, *options: str) -> list[dict[str, object]]:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    timing: measures time\n    slow: takes long\n"
    )
    (tmp_path / "test_project.py").write_text(PROJECT_TESTS)
    (tmp_path / "conftest.py").write_text(PROJECT_CONFTEST)
    record = tmp_path / "record.jsonl"
    env = child_pytest_env(RECORD=str(record), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PLUGIN, *options],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in record.read_text().splitlines()]


@pytest.mark.slow
def test_under_xdist_timing_tests_wait_for_every_other_test_and_worker(tmp_path: Path) -> None:
    entries = run_project(tmp_path, "-p", "xdist.plugin", "-n", "2", "--dist", "loadgroup")
    tests = [e for e in entries if "name" in e]
    timed = [e for e in tests if str(e["name"]).startswith("timed")]
    others = [e for e in tests if str(e["name"]).startswith("other")]
    (slow,) = [e for e in tests if e["name"] == "slow"]
    assert len(timed) == 2 and len(others) == 12
    # The other tests did run in parallel, on both workers ...
    assert {e["worker"] for e in others} == {"gw0", "gw1"}
    # ... the slow one, collected last, before any other on its worker ...
    slow_end = float(str(slow["end"]))
    assert all(float(str(e["start"])) > slow_end for e in others if e["worker"] == slow["worker"])
    # ... and the timing tests on one, after all of them ended and the other worker stopped.
    (runner,) = {e["worker"] for e in timed}
    first_timed = min(float(str(e["start"])) for e in timed)
    assert max(float(str(e["end"])) for e in others) < first_timed
    gone = [e for e in entries if "worker_gone" in e and e["worker_gone"] != runner]
    assert len(gone) == 1 and float(str(gone[0]["end"])) < first_timed


@pytest.mark.slow
def test_on_one_process_timing_tests_run_last(tmp_path: Path) -> None:
    names = [str(e["name"]) for e in run_project(tmp_path)]
    assert names == [f"other{n}" for n in range(12)] + ["slow", "timed0", "timed1"]
