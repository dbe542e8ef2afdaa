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
from tests.evidence import Evidence


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


async def test_sqlite_ignores_the_column_length(sqlite: AsyncSession, evidence: Evidence) -> None:
    """`create_team(session, "x" * 25)` on SQLite stores all 25 characters in a `String(20)`
    column."""
    await teams.create_team(sqlite, "x" * 25)

    # String(20), and 25 characters stored and read back.
    length = await sqlite.scalar(select(func.length(teams.Team.name)))
    assert length == 25
    evidence.add(
        f"no error; teams.name is {teams.Team.__table__.c.name.type!r}, "
        f"and length(teams.name) = {length}",
        'create_team(session, "x" * 25) on SQLite',
    )


async def test_postgres_enforces_the_column_length(postgres: AsyncSession) -> None:
    """The same call on PostgreSQL raises `StringDataRightTruncationError: value too long for
    type character varying(20)`."""
    with pytest.raises(DBAPIError) as error:
        await teams.create_team(postgres, "x" * 25)

    assert "StringDataRightTruncationError" in str(error.value)
    assert "value too long for type character varying(20)" in str(error.value)


async def test_sqlite_ignores_the_foreign_key(sqlite: AsyncSession, evidence: Evidence) -> None:
    """`add_member(session, team_id=999)` stores an orphan member on SQLite; after
    `PRAGMA foreign_keys=ON` on that connection, SQLite refuses it too:
    `FOREIGN KEY constraint failed`."""
    member = await teams.add_member(sqlite, team_id=999)

    assert member.id is not None  # a member of a team that does not exist
    teams_stored = await sqlite.scalar(select(func.count()).select_from(teams.Team))
    evidence.add(
        f"no error; member stored with team_id {member.team_id}, teams stored: {teams_stored}",
        "add_member(session, team_id=999) on SQLite",
    )
    # SQLite checks foreign keys only once a connection is told to (outside a transaction).
    await sqlite.commit()
    await sqlite.execute(text("PRAGMA foreign_keys=ON"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed") as error:
        await teams.add_member(sqlite, team_id=999)
    evidence.add(error.value, "The same, after PRAGMA foreign_keys=ON on that connection")


async def test_postgres_enforces_the_foreign_key(postgres: AsyncSession) -> None:
    """The same call on PostgreSQL raises `ForeignKeyViolationError: insert or update on table
    "members" violates foreign key constraint ...`."""
    with pytest.raises(IntegrityError) as error:
        await teams.add_member(postgres, team_id=999)

    assert "ForeignKeyViolationError" in str(error.value)
    assert re.search(
        r'insert or update on table "members" violates foreign key constraint', str(error.value)
    )


async def test_like_is_case_insensitive_only_on_sqlite(
    sqlite: AsyncSession, postgres: AsyncSession, evidence: Evidence
) -> None:
    """With a team called `Ada Team` in each, `find_teams(session, "ada")` returns it on SQLite
    and nothing on PostgreSQL (which finds it for `"Ada"`)."""
    for session in (sqlite, postgres):
        await teams.create_team(session, "Ada Team")

    found = {
        "SQLite": await teams.find_teams(sqlite, "ada"),
        "PostgreSQL": await teams.find_teams(postgres, "ada"),
    }
    assert found["SQLite"] == ["Ada Team"]
    assert found["PostgreSQL"] == []
    assert await teams.find_teams(postgres, "Ada") == ["Ada Team"]
    evidence.add(
        "\n".join(f"{name}: {result}" for name, result in found.items()),
        'find_teams(session, "ada"), with a team called "Ada Team"',
    )


async def test_jsonb_exists_only_on_postgres(db_session: AsyncSession, evidence: Evidence) -> None:
    """Compiling the `events` table for SQLite raises `CompileError: (in table 'events', column
    'payload'): Compiler <...SQLiteTypeCompiler ...> can't render element of type JSONB`; on
    PostgreSQL the table is created, and a query on `payload["plan"]` and `payload["seats"]`
    returns `5`."""
    with pytest.raises(CompileError, match="can't render element of type JSONB") as error:
        CreateTable(events.Base.metadata.tables["events"]).compile(dialect=sqlite_dialect())
    evidence.add(error.value, "CREATE TABLE events, compiled for SQLite")

    connection = await db_session.connection()
    await connection.run_sync(events.Base.metadata.create_all)
    db_session.add(events.Event(payload={"plan": "pro", "seats": 5}))
    await db_session.flush()
    seats = select(events.Event.payload["seats"].as_integer()).where(
        events.Event.payload["plan"].as_string() == "pro"
    )
    assert await db_session.scalar(seats) == 5
