"""Proofs for stack/fastapi-cli: `fastapi run` and `fastapi dev` serve the reference app on
uvicorn (production: 0.0.0.0, no reloader; development: 127.0.0.1, reloader); a hand-rolled
`uvicorn.run(app, reload=True)` exits before serving; FastAPI 0.139 tolerates an annotation it
does not use under PEP 649, which FastAPI before 0.128.1 could not."""

import decimal
import importlib
import inspect
import logging
import os
import queue
import runpy
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from tests.evidence import Evidence
from tests.lint import ROOT
from tests.servers import free_port

if TYPE_CHECKING:
    from decimal import Decimal  # for mypy only: FastAPI never needs it

COMMANDS = ROOT / "snippets/stack/fastapi_cli/commands.sh"
AVOID = "snippets.stack.fastapi_cli.avoid"
RELOAD_ERROR = "You must pass the application as an import string to enable 'reload' or 'workers'."


def page_commands() -> dict[str, list[str]]:
    """The page's commands by subcommand (`dev`, `run`), as argument lists without `uv run`."""
    commands: dict[str, list[str]] = {}
    for line in COMMANDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words = shlex.split(line)
            assert words[:3] in (["uv", "run", "fastapi"],), line
            commands[words[3]] = words[2:]
    return commands


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    output: list[str] = field(default_factory=list)

    def wait_for(self, text: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.output) < times:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {text!r} in:\n" + "".join(self.output)
            try:
                self.output.append(self.lines.get(timeout=remaining))
            except queue.Empty:
                continue

    @property
    def text(self) -> str:
        return "".join(self.output)


@contextmanager
def serve(argv: list[str]) -> Iterator[Server]:
    """Start `fastapi ...` from the repository root on a free port; stop it with Ctrl-C."""
    port = free_port()
    executable = Path(sys.executable).parent / argv[0]
    process = subprocess.Popen(
        [str(executable), *argv[1:], "--port", str(port)],
        cwd=ROOT,
        env=os.environ | {"NO_COLOR": "1", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: Ctrl-C reaches a reloader's worker too
    )
    server = Server(process, port)
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for line in stdout:
            server.lines.put(line)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            reader.join(timeout=10)
            stdout.close()
            while not server.lines.empty():
                server.output.append(server.lines.get())


def get_openapi(server: Server) -> httpx.Response:
    # Other work in the repository can make the reloader restart the app just as it starts:
    # give a restarting server a few seconds to accept connections again.
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{server.port}/openapi.json", timeout=10)
        except httpx.ConnectError:
            assert time.monotonic() < deadline, server.text
            time.sleep(0.5)


@pytest.mark.slow
def test_fastapi_run_serves_in_production_mode() -> None:
    """The output shows `Starting FastAPI in production mode`, `Using import string:
    app.main:app` and `Uvicorn running on http://0.0.0.0:<port>`, no reloader; `GET
    /openapi.json` is `200` with the title `Reference app`; after Ctrl-C it logs `Application
    shutdown complete.` and exits with code 0."""
    with serve(page_commands()["run"]) as server:
        server.wait_for("Application startup complete.")
        response = get_openapi(server)
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Reference app"

    text = server.text
    assert "Starting FastAPI in production mode" in text
    assert "Using import string: app.main:app" in text
    assert f"Uvicorn running on http://0.0.0.0:{server.port}" in text  # every interface
    assert "reloader" not in text
    assert "Application shutdown complete." in text  # lifespan shutdown ran on Ctrl-C
    assert server.process.returncode == 0


@pytest.mark.slow
def test_fastapi_run_starts_worker_processes() -> None:
    """With `--workers 2` uvicorn logs `Started parent process`, two `Started server process`
    lines and two `Application startup complete.` (one lifespan per worker), and serves `200`."""
    with serve([*page_commands()["run"], "--workers", "2"]) as server:
        server.wait_for("Application startup complete.", times=2)
        response = get_openapi(server)
    assert response.status_code == 200
    text = server.text
    assert "Started parent process" in text
    assert text.count("Started server process") == 2  # one per worker, each with its lifespan


@pytest.mark.slow
def test_fastapi_dev_serves_with_a_reloader_on_localhost() -> None:
    """The output shows `Starting FastAPI in development mode`, `Uvicorn running on
    http://127.0.0.1:<port>` and `Started reloader process [...] using WatchFiles`, and the app
    serves `200`. (Here the reloader watches the whole repository, `Will watch for changes in
    these directories: ['<the repository>']`, and takes a few seconds to start.)"""
    with serve(page_commands()["dev"]) as server:
        server.wait_for("Application startup complete.")
        response = get_openapi(server)
    assert response.status_code == 200

    text = server.text
    assert "Starting FastAPI in development mode" in text
    assert f"Uvicorn running on http://127.0.0.1:{server.port}" in text  # this machine only
    assert "Started reloader process" in text
    assert "WatchFiles" in text


@pytest.mark.slow
def test_uvicorn_run_on_the_app_object_cannot_reload(evidence: Evidence) -> None:
    """Runs the Avoid as `python -m snippets.stack.fastapi_cli.avoid`: uvicorn prints `WARNING:
    You must pass the application as an import string to enable 'reload' or 'workers'.`, never
    `Uvicorn running on`, and exits with code 3."""
    result = subprocess.run(
        [sys.executable, "-m", AVOID],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    evidence.add(
        f"{result.stderr}\n(exit code {result.returncode})",
        f"python -m {AVOID}",
    )
    assert RELOAD_ERROR in result.stderr
    assert "Uvicorn running on" not in result.stderr
    assert result.returncode == 3  # uvicorn's STARTUP_FAILURE


@pytest.fixture
def uvicorn_loggers() -> Iterator[None]:
    """uvicorn.run() configures the `uvicorn` loggers for the process; put them back after."""
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate = propagate


@pytest.mark.usefixtures("uvicorn_loggers")
def test_uvicorn_run_exits_in_process(
    capsys: pytest.CaptureFixture[str], evidence: Evidence
) -> None:
    """The same module run in the test's own process: `SystemExit(3)` and the same warning.
    Imported, it does nothing: `uvicorn.run` is behind `if __name__ == "__main__"`."""
    # Run as a script in this process (`python -m` in the test above runs it elsewhere).
    with pytest.raises(SystemExit) as exited:
        runpy.run_module(AVOID, run_name="__main__")
    stderr = capsys.readouterr().err
    evidence.add(f"{stderr}\n{exited.value!r}", f"runpy.run_module({AVOID!r}, run_name='__main__')")
    assert exited.value.code == 3
    assert RELOAD_ERROR in stderr
    # Imported, the launcher does nothing: `uvicorn.run` is behind `if __name__ == "__main__"`.
    assert importlib.import_module(AVOID).app.title == "Reference app"


async def vat_rate() -> Decimal:  # `Decimal` exists for mypy only
    return decimal.Decimal("0.20")


async def test_fastapi_ignores_an_annotation_it_does_not_need() -> None:
    """A dependency `vat_rate() -> Decimal` with `Decimal` imported only under `if
    TYPE_CHECKING:`. On Python 3.14 `inspect.signature(vat_rate)`, the fallback FastAPI used
    before 0.128.1, raises `NameError: name 'Decimal' is not defined`; FastAPI 0.139 builds the
    endpoint that depends on it, and `GET /vat` is `200` with `{"rate": "0.20"}`."""
    # On Python 3.14 reading this signature evaluates the annotations, and `Decimal` is unbound.
    # FastAPI before 0.128.1 fell back to exactly this call, so the app failed at import.
    with pytest.raises(NameError) as raised:
        inspect.signature(vat_rate)
    assert str(raised.value) == "name 'Decimal' is not defined"

    # FastAPI 0.128.1+ (0.139 here) reads it with annotationlib's FORWARDREF format instead.
    app = FastAPI()

    @app.get("/vat")
    async def read_vat(rate: Annotated[decimal.Decimal, Depends(vat_rate)]) -> dict[str, str]:
        return {"rate": str(rate)}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/vat")
    assert response.status_code == 200
    assert response.json() == {"rate": "0.20"}
