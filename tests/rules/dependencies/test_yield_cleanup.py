"""Proofs for dependencies/yield-cleanup: `get_db` yields its session, so FastAPI closes it after
the endpoint, even when the endpoint raises; a dependency that returns a session leaves its
connection checked out and "idle in transaction" on the server."""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import engine, get_db
from snippets.dependencies.yield_cleanup import avoid
from tests.evidence import Evidence

SessionProvider = Callable[..., Any]


def failing_app(get_session: SessionProvider, seen: list[AsyncSession]) -> FastAPI:
    """An app whose endpoints query through `get_session`, then fail: one with a 404, one with an
    unhandled exception."""
    router = APIRouter()

    async def query_then(session: AsyncSession) -> None:
        seen.append(session)
        await session.execute(text("SELECT 1"))  # begins a transaction on a pooled connection

    @router.get("/not-found")
    async def not_found(session: Annotated[AsyncSession, Depends(get_session)]) -> None:
        await query_then(session)
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Nothing here")

    @router.get("/crash")
    async def crash(session: Annotated[AsyncSession, Depends(get_session)]) -> None:
        await query_then(session)
        raise RuntimeError("bug in the endpoint")

    app = FastAPI()
    app.include_router(router)
    return app


async def call(app: FastAPI, path: str) -> int:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return (await client.get(path)).status_code


async def backend_states(session: AsyncSession) -> list[str]:
    """States of this database's other server backends that are inside a transaction."""
    await session.execute(text("SELECT pg_stat_clear_snapshot()"))
    rows = await session.scalars(
        text(
            "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
        )
    )
    return list(rows)


@pytest.fixture
async def leaked() -> AsyncIterator[list[AsyncSession]]:
    """Sessions the endpoints received; any left open are closed after the test."""
    seen: list[AsyncSession] = []
    yield seen
    for session in seen:
        await session.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/not-found", status.HTTP_404_NOT_FOUND), ("/crash", status.HTTP_500_INTERNAL_SERVER_ERROR)],
)
async def test_yield_dependency_cleans_up_after_an_error(
    db_session: AsyncSession, leaked: list[AsyncSession], path: str, expected: int
) -> None:
    """With the reference app's `get_db`: `404` and `500`; afterwards the pool has as many
    connections checked out as before, the session is not in a transaction, and no backend is
    idle in a transaction."""
    before = engine.pool.checkedout()  # type: ignore[attr-defined]

    assert await call(failing_app(get_db, leaked), path) == expected

    # get_db's `async with` ran after the error: rolled back, closed, connection back in the pool.
    assert engine.pool.checkedout() == before  # type: ignore[attr-defined]
    assert not leaked[0].in_transaction()
    assert await backend_states(db_session) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/not-found", status.HTTP_404_NOT_FOUND), ("/crash", status.HTTP_500_INTERNAL_SERVER_ERROR)],
    ids=["not-found", "crash"],  # one evidence file each: a path is no file name
)
async def test_returned_session_is_never_closed(
    db_session: AsyncSession,
    leaked: list[AsyncSession],
    path: str,
    expected: int,
    evidence: Evidence,
) -> None:
    """With the Avoid's `get_session`: the same `404` and `500`; 50 ms later the pool still has
    one more connection checked out, the session is still in its transaction, and
    `pg_stat_activity` shows one backend `idle in transaction`. (The test closes the leaked
    session itself afterwards.)"""
    before = engine.pool.checkedout()  # type: ignore[attr-defined]

    answered = await call(failing_app(avoid.get_session, leaked), path)
    assert answered == expected
    await asyncio.sleep(0.05)  # give any cleanup a chance to run: there is none

    # The connection is still checked out, its transaction still open on the server.
    after = engine.pool.checkedout()  # type: ignore[attr-defined]
    assert after == before + 1
    assert leaked[0].in_transaction()
    states = await backend_states(db_session)
    assert states == ["idle in transaction"]
    evidence.add(
        f"GET {path}: {answered}\n"
        f"pool connections checked out: {after - before:+d} since before the request\n"
        f"session.in_transaction(): {leaked[0].in_transaction()}\n"
        f"other backends of the test database in a transaction: {states}",
        "With the Avoid's get_session, once the response is sent",
    )
