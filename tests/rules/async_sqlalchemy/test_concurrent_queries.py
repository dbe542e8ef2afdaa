"""Proofs for async-sqlalchemy/concurrent-queries: independent queries in a TaskGroup, one
session per task, run at once on separate connections; tasks sharing one AsyncSession fail, or,
once it holds a connection, wait for each other."""

import asyncio
import gc
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IllegalStateChangeError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.db.session import AsyncSessionLocal, engine
from app.models import User
from snippets.async_sqlalchemy.concurrent_queries import avoid, do
from snippets.async_sqlalchemy.concurrent_queries.counts import ACTIVE, USERS, UserCounts
from tests.evidence import Evidence

PROVISIONING = (
    "This session is provisioning a new connection; concurrent operations are not permitted"
)
EXPECTED = UserCounts(total=3, active=2, admins=1)
# Backends of this database waiting for a lock on a `count(*)` query.
WAITING = text(
    "SELECT pid FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    " AND query LIKE 'SELECT count(*)%'"
)


async def add_users(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        session.add_all(
            [
                User(email="ada@example.com", hashed_password="x", is_admin=True),
                User(email="bob@example.com", hashed_password="x"),
                User(email="cyd@example.com", hashed_password="x", is_active=False),
            ]
        )
        await session.commit()


def engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessions.kw["bind"]
    assert isinstance(bind, AsyncEngine)
    return bind


async def waiting_backends(blocker: AsyncConnection, expected: int) -> set[int]:
    """The backends queued behind `blocker`'s lock, once there are `expected` of them."""
    pids: set[int] = set()
    for _ in range(250):  # up to 5 s
        await blocker.execute(text("SELECT pg_stat_clear_snapshot()"))
        pids = set(await blocker.scalars(WAITING))
        if len(pids) >= expected:
            break
        await asyncio.sleep(0.02)
    return pids


@pytest.mark.commits
async def test_each_task_queries_on_its_own_connection_at_once(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Three users on a private schema, and an `ACCESS EXCLUSIVE` lock on `users` held from a
    separate connection: while the Do's `user_counts` runs, `pg_stat_activity` shows three
    backends waiting on the lock at the same time, one per task. Released, the result is
    `UserCounts(total=3, active=2, admins=1)`, and no connection is left checked out."""
    await add_users(session_factory)
    private = engine_of(session_factory)

    async with private.connect() as blocker:
        # Hold the table: every query on it now waits in PostgreSQL, where we can see it.
        await blocker.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
        counting = asyncio.create_task(do.user_counts(session_factory))
        waiting = await waiting_backends(blocker, expected=3)
        await blocker.rollback()  # release the lock
    counts = await counting

    # All three queries were in flight together, each on a backend of its own.
    assert len(waiting) == 3
    assert counts == EXPECTED
    assert private.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_tasks_sharing_a_new_session_fail(evidence: Evidence) -> None:
    """The Avoid on a new session from the app's `AsyncSessionLocal` raises
    `InvalidRequestError: This session is provisioning a new connection; concurrent operations
    are not permitted`; closing the session raises `IllegalStateChangeError`, and 1 connection
    stays checked out, held by the query `gather` did not cancel, until that query has run to
    its end and the session is closed again."""
    # The app's own sessions: their first statement waits for a connection and its pre-ping.
    await engine.dispose()  # an empty pool, so that the counts below are this test's alone
    session = AsyncSessionLocal()
    before = asyncio.all_tasks()

    with pytest.raises(InvalidRequestError, match=PROVISIONING) as error:
        await avoid.user_counts(session)
    evidence.add(error.value, "The Avoid's user_counts(session), on a new session")
    abandoned = asyncio.all_tasks() - before

    # gather() did not cancel the first query, which still owns the session: it cannot close,
    # and its connection stays checked out.
    with pytest.raises(
        IllegalStateChangeError, match=r"Method 'close\(\)' can't be called here"
    ) as refused:
        await session.close()
    evidence.add(refused.value, "await session.close() then")
    assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    evidence.add(
        f"checked out: {engine.pool.checkedout()}",  # type: ignore[attr-defined]
        "The app's pool, after the failure",
    )
    # Only once that query has run to its end may the session close: closing while it still
    # executes would roll back on a busy connection ("another operation is in progress").
    assert len(abandoned) == 1
    await asyncio.wait(abandoned, timeout=5)
    await session.close()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_task_group_sharing_a_session_fails_too(
    caplog: pytest.LogCaptureFixture, evidence: Evidence
) -> None:
    """Two queries on one new session in a `TaskGroup`: an `ExceptionGroup` holding the same
    `InvalidRequestError`, the other query cancelled, 0 connections checked out. asyncpg drops
    the connection the cancelled task was opening, and asyncio logs `Future exception was
    never retrieved ... connection was closed in the middle of operation` when it is collected,
    which the test does and checks, so the message does not surface at the end of the run."""
    await engine.dispose()
    async with AsyncSessionLocal() as session:
        with pytest.raises(ExceptionGroup) as group:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(session.scalar(USERS))
                tasks.create_task(session.scalar(ACTIVE))

    # The same error; the TaskGroup cancelled the other query and no connection is left out.
    evidence.add(group.value, "Two queries on one new session in a TaskGroup")
    (error,) = group.value.exceptions
    assert isinstance(error, InvalidRequestError)
    assert PROVISIONING in str(error)
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # The cancelled task was halfway through connecting: asyncpg drops that connection, and
    # the failed future nobody awaits is logged when collected (here, not at interpreter exit).
    await asyncio.sleep(0.1)
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        gc.collect()
    (dropped,) = [r for r in caplog.records if r.name == "asyncio"]
    assert dropped.getMessage().startswith("Future exception was never retrieved")
    assert "connection was closed in the middle of operation" in dropped.getMessage()
    evidence.add(
        f"{dropped.levelname} {dropped.name}: {dropped.getMessage()}",
        "What asyncio logs when the cancelled task's future is collected",
    )


@pytest.mark.commits
async def test_tasks_sharing_a_connected_session_take_turns(
    session_factory: async_sessionmaker[AsyncSession],
    evidence: Evidence,
) -> None:
    """The Avoid on a session that has already run a query, with the same lock held: nothing
    fails, and only one backend ever waits on the lock, the three queries queued on the
    session's one connection. The result is right, after three round trips in turn."""
    await add_users(session_factory)
    private = engine_of(session_factory)

    async with session_factory() as session, private.connect() as blocker:
        await session.execute(text("SELECT 1"))  # the session now holds a connection
        await blocker.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
        counting = asyncio.create_task(avoid.user_counts(session))
        waiting = await waiting_backends(blocker, expected=1)
        await asyncio.sleep(0.2)  # time enough for more queries to queue, if they could
        waiting |= set(await waiting_backends(blocker, expected=1))
        await blocker.rollback()
        counts = await counting

    # No error this time, and no gain: one backend, the three queries one after another.
    assert len(waiting) == 1
    assert counts == EXPECTED
    evidence.add(
        f"backends waiting on the lock: {len(waiting)} (the Do: 3)\nresult: {counts!r}",
        "The Avoid's user_counts(session) on a session holding a connection, users locked",
    )
