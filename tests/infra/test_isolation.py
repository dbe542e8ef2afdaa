"""`db_session` and `session_factory`: what one test writes, even committed, no other test sees;
a `commits` test really commits, in a schema of its own that is dropped afterwards.

Claims about "the next test" are made order-free: the same test runs twice, and whichever run
comes second checks what the first one left behind.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from app.models import User

ROLLED_BACK_EMAIL = "rolled-back@example.com"
COMMITTED_EMAIL = "committed@example.com"
# Private schemas handed to `commits` tests so far in this run.
schemas_seen: list[str] = []


@asynccontextmanager
async def independent_connection(
    database_url: str, search_path: str = "public"
) -> AsyncIterator[AsyncConnection]:
    """A connection of its own, outside every fixture: it sees only what was really committed."""
    other = create_async_engine(
        database_url,
        poolclass=NullPool,
        connect_args={"server_settings": {"search_path": search_path}},
    )
    try:
        async with other.connect() as connection:
            yield connection
    finally:
        await other.dispose()


async def count_users(session: AsyncSession | AsyncConnection, email: str) -> int:
    return (
        await session.scalar(select(func.count()).select_from(User).where(User.email == email))
    ) or 0


@pytest.mark.parametrize("run", [1, 2])
async def test_committed_row_is_gone_in_the_next_test(
    db_session: AsyncSession, database_url: str, run: int
) -> None:
    """Commits a user through `db_session`: the row reached PostgreSQL (its `created_at` server
    default is filled in), an independent connection does not see it, and the other run starts
    with no such row."""
    # The other run committed this row too: it must not be here.
    assert await count_users(db_session, ROLLED_BACK_EMAIL) == 0

    user = User(email=ROLLED_BACK_EMAIL, hashed_password="x")
    db_session.add(user)
    await db_session.commit()
    await db_session.refresh(user)

    assert user.created_at is not None  # the row reached PostgreSQL (server default)
    assert await count_users(db_session, ROLLED_BACK_EMAIL) == 1
    # The commit released a SAVEPOINT only: nobody else can see the row.
    async with independent_connection(database_url) as connection:
        assert await count_users(connection, ROLLED_BACK_EMAIL) == 0


async def test_rollback_in_code_under_test_undoes_only_since_its_last_commit(
    db_session: AsyncSession,
) -> None:
    """After a commit, a flush and a rollback, the committed row is there and the rolled-back
    one is not."""
    db_session.add(User(email="kept@example.com", hashed_password="x"))
    await db_session.commit()
    db_session.add(User(email="undone@example.com", hashed_password="x"))
    await db_session.flush()
    await db_session.rollback()

    assert await count_users(db_session, "kept@example.com") == 1
    assert await count_users(db_session, "undone@example.com") == 0


async def test_sessions_of_the_factory_share_the_test_transaction(
    db_session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    db_session.add(User(email="shared@example.com", hashed_password="x"))
    await db_session.commit()

    async with session_factory() as other:
        assert await count_users(other, "shared@example.com") == 1
        assert await other.scalar(text("SELECT current_schema()")) == "public"


async def schema_exists(database_url: str, schema: str) -> bool:
    async with independent_connection(database_url) as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :name"),
            {"name": schema},
        )
    return bool(found == 1)


@pytest.mark.commits
@pytest.mark.parametrize("run", [1, 2])
async def test_commits_test_really_commits_in_a_schema_of_its_own(
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    database_url: str,
    run: int,
) -> None:
    """A `commits` test runs in a schema named `t_<hex>`; a second session sees the row only
    after the commit; the run's public tables never do; and the schema of the earlier run has
    been dropped."""
    # Whatever `commits` test ran before this one: its schema has been dropped.
    for earlier in schemas_seen:
        assert not await schema_exists(database_url, earlier)

    schema = await db_session.scalar(text("SELECT current_schema()"))
    assert isinstance(schema, str)
    assert schema.startswith("t_")
    assert await schema_exists(database_url, schema)
    schemas_seen.append(schema)

    db_session.add(User(email=COMMITTED_EMAIL, hashed_password="x"))
    await db_session.flush()
    # A second session of the factory is a second connection: no row until the commit.
    async with session_factory() as concurrent:
        assert await count_users(concurrent, COMMITTED_EMAIL) == 0
        await db_session.commit()
        assert await count_users(concurrent, COMMITTED_EMAIL) == 1

    async with independent_connection(database_url, search_path=schema) as connection:
        assert await count_users(connection, COMMITTED_EMAIL) == 1
    # The run's public tables are untouched.
    async with independent_connection(database_url) as connection:
        assert await count_users(connection, COMMITTED_EMAIL) == 0
