"""Proofs for lifecycle/lifespan: lifespan runs the startup check and disposes the engine;
`@app.on_event` is deprecated."""

import asyncio
import inspect
import os
import socket
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import engine
from app.main import create_app
from snippets.lifecycle.lifespan import avoid
from tests.evidence import Evidence

ROOT = Path(__file__).resolve().parents[3]

# FastAPI 0.139 marks `on_event` with `typing_extensions.deprecated`; this is its message.
ON_EVENT_DEPRECATED = (
    "on_event is deprecated, use lifespan event handlers instead.\n"
    "\n"
    "Read more about it in the\n"
    "[FastAPI docs for Lifespan Events](https://fastapi.tiangolo.com/advanced/events/)."
)


@dataclass
class Observed:
    """What running an app's lifespan did to PostgreSQL and to the app's engine."""

    statements: list[str]
    backend_alive_while_serving: bool
    pool_replaced: bool
    pooled_connections_after: int
    backend_alive_after: bool


async def backend_alive(session: AsyncSession, pid: int) -> bool:
    # pg_stat_activity is snapshotted once per transaction; the test's session lives inside
    # one, so drop the snapshot before each look.
    await session.execute(text("SELECT pg_stat_clear_snapshot()"))
    count = await session.scalar(
        text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
    )
    return bool(count)


async def backend_gone(session: AsyncSession, pid: int) -> bool:
    # A closed connection's server process exits asynchronously: give it up to two seconds.
    for _ in range(100):
        if not await backend_alive(session, pid):
            return True
        await asyncio.sleep(0.02)
    return False


async def run_lifespan(app: FastAPI, session: AsyncSession) -> Observed:
    """Start and stop `app` the way an ASGI server does, recording the SQL it sends."""
    executed: list[tuple[int, str]] = []

    def record(
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        # The PostgreSQL server process id behind the pooled asyncpg connection.
        pid = conn.connection.driver_connection.get_server_pid()  # type: ignore[union-attr]
        executed.append((pid, statement))

    pool = engine.pool
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with app.router.lifespan_context(app):
            # The app is serving now: the startup check has run on a pooled connection.
            pids = [pid for pid, statement in executed if statement == "SELECT 1"]
            assert len(pids) == 1, executed
            (pid,) = pids
            alive_while_serving = await backend_alive(session, pid)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return Observed(
        statements=[statement for _, statement in executed],
        backend_alive_while_serving=alive_while_serving,
        pool_replaced=engine.pool is not pool,
        pooled_connections_after=pool.checkedin(),  # type: ignore[attr-defined]
        backend_alive_after=not await backend_gone(session, pid),
    )


async def test_lifespan_checks_database_then_disposes_engine(db_session: AsyncSession) -> None:
    """`create_app()` started and stopped as an ASGI server does, its engine's statements
    recorded: while serving, `SELECT 1` has run on a pooled connection whose backend is in
    `pg_stat_activity`; after shutdown the engine has a new pool, the old one holds 0
    connections, and that backend is gone."""
    observed = await run_lifespan(create_app(), db_session)

    # Startup really reached PostgreSQL: the SELECT 1 ran, on a live server backend.
    assert "SELECT 1" in observed.statements
    assert observed.backend_alive_while_serving
    # Shutdown disposed the engine: a fresh pool, the old one emptied, its backend gone.
    assert observed.pool_replaced
    assert observed.pooled_connections_after == 0
    assert not observed.backend_alive_after


@pytest.mark.slow
def test_startup_fails_fast_without_database() -> None:
    """`python -m uvicorn app.main:app` with `APP_DATABASE_URL` at a local port bound but never
    listening prints `Waiting for application startup.`, a traceback ending in
    `ConnectionRefusedError: [Errno 111] Connection refused` and `Application startup failed.
    Exiting.`; it never prints `Uvicorn running on`, and exits with code 3."""
    # A port that is bound but never listens: every connection to it is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        env = os.environ | {
            "APP_DATABASE_URL": f"postgresql+asyncpg://app:app@127.0.0.1:{port}/app",
        }
        result = subprocess.run(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    assert "Waiting for application startup." in result.stderr
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in result.stderr
    assert "Application startup failed. Exiting." in result.stderr
    assert "Uvicorn running on" not in result.stderr  # it never started serving
    assert result.returncode == 3  # uvicorn's exit code for a failed startup


def test_on_event_is_deprecated(evidence: Evidence) -> None:
    """Built inside `pytest.warns`, the Avoid app raises a `DeprecationWarning` for each of its
    two `@app.on_event(...)` lines, and FastAPI's router the same again: 4, all `on_event is
    deprecated, use lifespan event handlers instead.`"""
    with pytest.warns(DeprecationWarning) as warned:
        avoid.create_app()
    evidence.add("\n".join(map(warning_line, warned)), "avoid.create_app(): the warnings")

    assert {w.category for w in warned} == {DeprecationWarning}
    assert {inspect.cleandoc(str(w.message)) for w in warned} == {ON_EVENT_DEPRECATED}
    # Each `@app.on_event(...)` line of the snippet raises it (FastAPI's router repeats it).
    source = Path(avoid.__file__).read_text(encoding="utf-8").splitlines()
    on_event_lines = {n for n, line in enumerate(source, start=1) if "@app.on_event(" in line}
    assert len(on_event_lines) == 2
    assert {w.lineno for w in warned if w.filename == avoid.__file__} == on_event_lines


def warning_line(warning: warnings.WarningMessage) -> str:
    """`warning` as Python prints it (the evidence shows an installed package's path from its
    `site-packages`)."""
    message = inspect.cleandoc(str(warning.message)).replace("\n", "\n    ")
    return f"{warning.filename}:{warning.lineno}: {warning.category.__name__}: {message}"


async def test_on_event_handlers_still_run(db_session: AsyncSession, evidence: Evidence) -> None:
    """Why the warning is the only signal: the Avoid app's lifespan runs its handlers, which
    do the same work as the Do (the `SELECT 1`, then the disposal). Nothing fails at run
    time."""
    # Nothing fails at run time: the deprecation warning is the only signal.
    with pytest.warns(DeprecationWarning):
        app = avoid.create_app()

    observed = await run_lifespan(app, db_session)
    evidence.add(observation(observed), "The Avoid app started and stopped: nothing fails")

    assert "SELECT 1" in observed.statements
    assert observed.backend_alive_while_serving
    assert observed.pool_replaced
    assert observed.pooled_connections_after == 0
    assert not observed.backend_alive_after


def observation(observed: Observed) -> str:
    """What a lifespan run did, one fact a line."""
    return "\n".join(f"{name}: {value!r}" for name, value in vars(observed).items())


async def test_on_event_is_ignored_beside_a_lifespan(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """An `@app.on_event("startup")` handler added to the reference app, which has a lifespan:
    starting the app runs the lifespan's `SELECT 1`, and the handler never runs."""
    # A half-done migration: the reference app has a lifespan, someone adds an on_event handler.
    app = create_app()
    ran: list[str] = []
    with pytest.warns(DeprecationWarning):

        @app.on_event("startup")  # type: ignore[deprecated]  # mypy says so too
        async def warm_cache() -> None:
            ran.append("warm_cache")

    observed = await run_lifespan(app, db_session)

    assert "SELECT 1" in observed.statements  # the lifespan ran...
    assert ran == []  # ...and the on_event handler silently did not
    evidence.add(
        f"statements: {observed.statements!r}\nhandlers run: {ran!r}",
        'create_app() plus an @app.on_event("startup") warm_cache, started',
    )
