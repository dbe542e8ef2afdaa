"""Proofs for testing/async-test-client: an httpx AsyncClient over ASGITransport calls the app
on the test's event loop and sees the test's session; Starlette's TestClient runs the app on a
loop of its own, where the test's asyncpg connection fails; unmarked async tests need
asyncio_mode = "auto"."""

import subprocess
import sys
import tomllib
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool
from starlette.exceptions import StarletteDeprecationWarning

from app.db.session import get_db
from snippets.testing.async_test_client import do, stats
from tests.evidence import Evidence
from tests.pytest_project import run_pytest_project

ROOT = Path(__file__).resolve().parents[3]
UNMARKED_ASYNC_TEST = """
import asyncio


async def test_sleeps() -> None:
    await asyncio.sleep(0)
"""


@pytest.fixture
def stats_app(asgi_app: FastAPI) -> FastAPI:
    """The reference app (its get_db yielding the test's session) plus the stats endpoint."""
    asgi_app.include_router(stats.router)
    return asgi_app


async def test_async_client_runs_the_app_on_the_test_loop(
    stats_app: FastAPI, client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    """Runs the Do test with the project's `client` fixture and the stats endpoint added to the
    app: a user added to the test's session and only flushed is counted (`{"users": 1}`), so
    the app used the test's session, on the test's loop; the client's transport is an
    `httpx.ASGITransport`."""
    await do.test_counts_users(client, db_session)

    # In-process: no server, no socket; the request went straight into the ASGI app.
    assert isinstance(client._transport, httpx.ASGITransport)


@pytest.fixture
async def throwaway_connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    """A connection of its own, in a transaction, discarded at the end: TestClient leaves the
    connection it touched unusable, and it must not go back to the run's pool."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    connection = await engine.connect()
    await connection.begin()
    try:
        yield connection
    finally:
        await connection.invalidate()  # closes the asyncpg connection; nothing was committed
        await engine.dispose()


async def test_testclient_fails_on_the_tests_connection(
    stats_app: FastAPI, throwaway_connection: AsyncConnection, evidence: Evidence
) -> None:
    """Runs the Avoid test on a session of a connection of its own (discarded afterwards): the
    request raises `RuntimeError: ... attached to a different loop`, raised in
    `asyncpg/protocol/protocol.pyx`. Back on the test's loop, the connection is stuck: the next
    query raises `InterfaceError: ... cannot perform operation: another operation is in
    progress`."""
    with warnings.catch_warnings():
        # Importing starlette.testclient with httpx (not httpx2) warns; see the next test.
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from snippets.testing.async_test_client import avoid

    session = AsyncSession(bind=throwaway_connection, join_transaction_mode="create_savepoint")

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield session

    stats_app.dependency_overrides[get_db] = override_get_db

    # TestClient runs the app on a new event loop in a worker thread; the session's asyncpg
    # connection belongs to the test's loop.
    with pytest.raises(RuntimeError, match="attached to a different loop") as error:
        await avoid.test_counts_users(stats_app, session)

    evidence.add(
        f"RuntimeError: {error.value}",
        "The Avoid's TestClient request, on the test's connection",
    )
    message = str(error.value)
    assert message.startswith("Task <Task pending name='anyio.from_thread.BlockingPortal")
    assert message.endswith(
        "got Future <Future pending cb=[BaseProtocol._on_waiter_completed()]> "
        "attached to a different loop"
    )
    # Raised where asyncpg waits for the server's answer, on the connection's loop.
    assert "asyncpg/protocol/protocol.pyx" in str(error.traceback[-1].path)
    # And the connection is left stuck: the query TestClient started never finished.
    with pytest.raises(InterfaceError, match="another operation is in progress") as stuck:
        await session.scalar(select(1))
    evidence.add(stuck.value, "The next query on that connection, back on the test's loop")


@pytest.mark.slow
def test_testclient_import_is_deprecated_with_httpx(evidence: Evidence) -> None:
    """`python -W error -c "import fastapi.testclient"` exits with `StarletteDeprecationWarning:
    Using `httpx` with `starlette.testclient` is deprecated; install `httpx2` instead.`"""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import fastapi.testclient"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    evidence.add(
        f"exit code {result.returncode}\n{result.stderr.strip().splitlines()[-1]}",
        'python -W error -c "import fastapi.testclient"',
    )
    assert (
        "starlette.exceptions.StarletteDeprecationWarning: Using `httpx` with "
        "`starlette.testclient` is deprecated; install `httpx2` instead."
    ) in result.stderr


def run_pytest(folder: Path, asyncio_mode: str) -> subprocess.CompletedProcess[str]:
    """pytest on one unmarked async test, in a folder of its own with only `asyncio_mode` set."""
    return run_pytest_project(
        folder,
        f"asyncio_mode = {asyncio_mode}\n",
        {"test_unmarked.py": UNMARKED_ASYNC_TEST},
        plugins=("pytest_asyncio.plugin",),
    )


@pytest.mark.slow
def test_unmarked_async_tests_need_auto_mode(tmp_path: Path) -> None:
    """Checks that the TOML shown above holds the values of `pyproject.toml`
    (`asyncio_mode = "auto"`, both loop scopes `session`), then runs pytest on one unmarked
    `async def` test in a folder of its own: with `asyncio_mode = strict` it fails with `async
    def functions are not natively supported.`; with `auto`, `1 passed`."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    shown = tomllib.loads((Path(do.__file__).parent / "pytest.toml").read_text())
    # The page's TOML is the project's own setting, key for key.
    assert shown["tool"]["pytest"]["ini_options"] == {
        "asyncio_mode": "auto",
        # One event loop for the whole run: session-scoped async fixtures (the engine) and
        # the tests share it.
        "asyncio_default_fixture_loop_scope": "session",
        "asyncio_default_test_loop_scope": "session",
    }
    assert {key: config[key] for key in shown["tool"]["pytest"]["ini_options"]} == shown["tool"][
        "pytest"
    ]["ini_options"]

    strict = run_pytest(tmp_path / "strict", "strict")
    auto = run_pytest(tmp_path / "auto", "auto")

    assert strict.returncode == 1
    assert "async def functions are not natively supported." in strict.stdout
    assert auto.returncode == 0
    assert "1 passed" in auto.stdout
