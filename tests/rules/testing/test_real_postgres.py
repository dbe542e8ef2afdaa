"""Proofs for testing/real-postgres: the same code, run on SQLite (aiosqlite) and on
PostgreSQL, passes on SQLite where PostgreSQL refuses it: a value longer than its column, a
foreign key to nothing, LIKE's case, and a JSONB column."""

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.exc import CompileError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTable

from snippets.testing.real_postgres import avoid, events, teams


@pytest.fixture
async def sqlite() -> AsyncIterator[AsyncSession]:
    async with avoid.sqlite_session() as session:
        yield session


@pytest.fixture
async def postgres(db_session: AsyncSession) -> AsyncSession:
    """The test's PostgreSQL session, with the snippet's tables created in its transaction."""
    connection = await db_session.connection()
    await connection.run_sync(teams.Base.metadata.create_all)
    return db_session


async def test_sqlite_ignores_the_column_length(sqlite: AsyncSession) -> None:
    await teams.create_team(sqlite, "x" * 25)

    # String(20), and 25 characters stored and read back.
    assert await sqlite.scalar(select(func.length(teams.Team.name))) == 25


async def test_postgres_enforces_the_column_length(postgres: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as error:
        await teams.create_team(postgres, "x" * 25)

    assert "StringDataRightTruncationError" in str(error.value)
    assert "value too long for type character varying(20)" in str(error.value)


async def test_sqlite_ignores_the_foreign_key(sqlite: AsyncSession) -> None:
    member = await teams.add_member(sqlite, team_id=999)

    assert member.id is not None  # a member of a team that does not exist
    # SQLite checks foreign keys only once a connection is told to (outside a transaction).
    await sqlite.commit()
    await sqlite.execute(text("PRAGMA foreign_keys=ON"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
        await teams.add_member(sqlite, team_id=999)


async def test_postgres_enforces_the_foreign_key(postgres: AsyncSession) -> None:
    with pytest.raises(IntegrityError) as error:
        await teams.add_member(postgres, team_id=999)

    assert "ForeignKeyViolationError" in str(error.value)
    assert re.search(
        r'insert or update on table "members" violates foreign key constraint', str(error.value)
    )


async def test_like_is_case_insensitive_only_on_sqlite(
    sqlite: AsyncSession, postgres: AsyncSession
) -> None:
    for session in (sqlite, postgres):
        await teams.create_team(session, "Ada Team")

    assert await teams.find_teams(sqlite, "ada") == ["Ada Team"]
    assert await teams.find_teams(postgres, "ada") == []
    assert await teams.find_teams(postgres, "Ada") == ["Ada Team"]


async def test_jsonb_exists_only_on_postgres(db_session: AsyncSession) -> None:
    with pytest.raises(CompileError, match="can't render element of type JSONB"):
        CreateTable(events.Base.metadata.tables["events"]).compile(dialect=sqlite_dialect())

    connection = await db_session.connection()
    await connection.run_sync(events.Base.metadata.create_all)
    db_session.add(events.Event(payload={"plan": "pro", "seats": 5}))
    await db_session.flush()
    seats = select(events.Event.payload["seats"].as_integer()).where(
        events.Event.payload["plan"].as_string() == "pro"
    )
    assert await db_session.scalar(seats) == 5
