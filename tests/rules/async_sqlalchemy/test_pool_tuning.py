"""Proofs for async-sqlalchemy/pool-tuning: pre-ping replaces connections the server dropped;
NullPool keeps none; pool_size and max_overflow cap the connections a process opens."""

import asyncio
import re
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, status
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, TimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool

from app.db.session import AsyncSessionLocal, engine, get_db
from snippets.async_sqlalchemy.pool_tuning import avoid, do
from tests.evidence import Evidence
from tests.rules.async_sqlalchemy.asgi import Recorder, client_of

STATEMENT_NAME = re.compile(
    r"__asyncpg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}__"
)


def backend_pid_app() -> FastAPI:
    """One endpoint, on the app's `get_db`: which PostgreSQL backend served this request."""
    app = FastAPI()

    @app.get("/backend")
    async def backend(session: Annotated[AsyncSession, Depends(get_db)]) -> int:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        assert isinstance(pid, int)
        return pid

    return app


async def backend_alive(session: AsyncSession, pid: int) -> bool:
    await session.execute(text("SELECT pg_stat_clear_snapshot()"))  # a fresh look, not the
    # transaction's snapshot of pg_stat_activity
    count = await session.scalar(
        text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
    )
    return bool(count)


async def wait_until_gone(session: AsyncSession, pid: int) -> None:
    for _ in range(200):  # a backend exits asynchronously: up to 4 s
        if not await backend_alive(session, pid):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"backend {pid} still alive")


async def terminate(session: AsyncSession, pid: int) -> None:
    """What a server restart, a failover or an idle timeout does to one pooled connection."""
    assert await session.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await wait_until_gone(session, pid)
    # Let the event loop read the closed socket, as it would between two real requests.
    await asyncio.sleep(0.1)


async def test_app_engine_is_sized_and_pre_pinged(database_url: str) -> None:
    """The reference app's pool is an `AsyncAdaptedQueuePool` with pre-ping on, `size()` 10,
    `max_overflow` 5 and the default `timeout()` of 30 s; the Avoid's engine has pre-ping off
    and 5 + 10."""
    assert isinstance(engine.pool, AsyncAdaptedQueuePool)
    assert engine.pool._pre_ping is True
    assert engine.pool.size() == 10
    assert engine.pool._max_overflow == 5
    assert engine.pool.timeout() == 30  # seconds a checkout waits when all are in use
    # Left to the defaults: no pre-ping, 5 + 10 connections.
    defaults = avoid.create_engine_with_defaults(database_url)
    assert isinstance(defaults.pool, AsyncAdaptedQueuePool)
    assert defaults.pool._pre_ping is False
    assert (defaults.pool.size(), defaults.pool._max_overflow) == (5, 10)
    await defaults.dispose()


async def test_pre_ping_replaces_a_dropped_connection(db_session: AsyncSession) -> None:
    """An endpoint on the app's own `get_db` and engine returns `pg_backend_pid()`; after a
    first request the test ends that backend with `pg_terminate_backend` and waits until it is
    gone from `pg_stat_activity`. The next request returns `200` with a new backend pid, and
    the app raised nothing."""
    await engine.dispose()  # an empty pool: the next request pools exactly one connection
    app = Recorder(backend_pid_app())
    async with client_of(app) as client:
        first = (await client.get("/backend")).json()
        await terminate(db_session, first)

        response = await client.get("/backend")

    # The ping found the connection dead; the pool opened a new one; the request never knew.
    assert response.status_code == status.HTTP_200_OK
    assert response.json() != first
    assert app.errors == []
    await engine.dispose()


async def test_without_pre_ping_the_next_request_fails(
    db_session: AsyncSession,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    evidence: Evidence,
) -> None:
    """The same with the Avoid's engine bound into the app's session factory: the request
    after the termination gets `500`, behind it an `InterfaceError`, `connection is closed`,
    marked `connection_invalidated`; the request after that gets `200` from a new backend."""
    defaults = avoid.create_engine_with_defaults(database_url)
    monkeypatch.setitem(AsyncSessionLocal.kw, "bind", defaults)
    app = Recorder(backend_pid_app())
    try:
        async with client_of(app) as client:
            first = (await client.get("/backend")).json()
            await terminate(db_session, first)

            failed = await client.get("/backend")
            after = await client.get("/backend")
    finally:
        await defaults.dispose()

    # The request that drew the dead connection failed...
    assert failed.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    evidence.add(failed, "The request after the backend was terminated")
    (error,) = app.errors
    evidence.add(
        error,
        "The exception behind it, connection_invalidated="
        f"{getattr(error, 'connection_invalidated', None)}",
    )
    assert isinstance(error, InterfaceError)
    assert "<class 'asyncpg.exceptions._base.InterfaceError'>: connection is closed" in str(error)
    # ...and only then did the pool throw its connections away: the next one worked.
    assert after.status_code == status.HTTP_200_OK
    assert after.json() != first
    evidence.add(
        f"HTTP/1.1 {after.status_code} {after.reason_phrase}, from a new backend",
        "The request after that",
    )


async def test_pool_size_and_max_overflow_cap_the_connections(database_url: str) -> None:
    """With `pool_size=2, max_overflow=1, pool_timeout=0.2`, three checkouts succeed and a
    fourth raises `TimeoutError: QueuePool limit of size 2 overflow 1 reached, connection
    timed out, timeout 0.20`; once the three are returned the pool holds 2, the overflow
    connection closed."""
    capped = create_async_engine(database_url, pool_size=2, max_overflow=1, pool_timeout=0.2)
    held: list[AsyncConnection] = []
    try:
        for _ in range(3):  # pool_size + max_overflow
            held.append(await capped.connect())
        with pytest.raises(TimeoutError) as error:
            await capped.connect()
        assert str(error.value).startswith(
            "QueuePool limit of size 2 overflow 1 reached, connection timed out, timeout 0.20"
        )
    finally:
        for connection in held:
            await connection.close()
    # Returned: the pool keeps pool_size of them and closes the overflow.
    assert capped.pool.checkedin() == 2  # type: ignore[attr-defined]
    await capped.dispose()


async def test_null_pool_keeps_no_connection(db_session: AsyncSession, database_url: str) -> None:
    """The Do's `create_pgbouncer_engine` has a `NullPool`: two checkouts get two different
    backends, each gone from `pg_stat_activity` once returned, and the statements prepared on
    them (`pg_prepared_statements`) are all named `__asyncpg_<uuid>__`."""
    bouncer = do.create_pgbouncer_engine(database_url)
    assert isinstance(bouncer.pool, NullPool)
    pids = []
    try:
        for _ in range(2):
            async with bouncer.connect() as connection:
                pids.append(await connection.scalar(text("SELECT pg_backend_pid()")))
                # Statements are prepared under unique names, safe on a shared server connection.
                await connection.execute(text("SELECT CAST(:n AS integer)"), {"n": 1})
                prepared = text("SELECT name FROM pg_prepared_statements")
                names = list(await connection.scalars(prepared))
                assert names
                assert all(STATEMENT_NAME.fullmatch(name) for name in names), names
            # Returned means closed: the server's backend for it exits.
            await wait_until_gone(db_session, pids[-1])
    finally:
        await bouncer.dispose()
    assert pids[0] != pids[1]
