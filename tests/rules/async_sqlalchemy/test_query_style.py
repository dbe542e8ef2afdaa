"""Proofs for async-sqlalchemy/query-style: `select()` + `await session.execute()` + a result
shape work on AsyncSession; the 1.x `session.query()` does not exist there."""

from pathlib import Path

import pytest
from sqlalchemy import Row, select
from sqlalchemy.exc import MissingGreenlet, MultipleResultsFound
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.async_sqlalchemy.query_style import avoid, do
from tests.lint import line_of
from tests.rules.async_sqlalchemy.checks import Finding, mypy_findings
from tests.rules.async_sqlalchemy.recording import recorded_selects

AVOID = Path(avoid.__file__)


async def add_users(session: AsyncSession) -> list[User]:
    users = [
        User(email="ada@example.com", hashed_password="x", is_admin=True),
        User(email="bob@example.com", hashed_password="x", is_active=False),
        User(email="cyd@example.com", hashed_password="x", is_admin=True),
    ]
    session.add_all(users)
    await session.commit()
    return users


async def test_select_style_reads(db_session: AsyncSession) -> None:
    ada, bob, cyd = await add_users(db_session)

    assert await do.find_by_email(db_session, "bob@example.com") is bob
    assert await do.find_by_email(db_session, "nobody@example.com") is None
    assert await do.newest_admin(db_session) is cyd  # same created_at: the higher id wins
    assert list(await do.active_users(db_session)) == [ada, cyd]
    assert await do.get_user(db_session, 999_999) is None


async def test_get_reads_the_identity_map_first(db_session: AsyncSession) -> None:
    ada, _, _ = await add_users(db_session)
    connection = await db_session.connection()

    with recorded_selects(connection) as selects:
        assert await do.get_user(db_session, ada.id) is ada
    assert selects == []  # already in this session: no query at all

    db_session.expunge_all()
    with recorded_selects(connection) as selects:
        fetched = await do.get_user(db_session, ada.id)
    assert fetched is not None
    assert fetched.email == "ada@example.com"
    assert len(selects) == 1
    assert "WHERE users.id = $1" in selects[0]


async def test_scalar_one_or_none_refuses_two_rows(db_session: AsyncSession) -> None:
    await add_users(db_session)
    two_admins = select(User).where(User.is_admin)

    with pytest.raises(MultipleResultsFound, match="Multiple rows were found when one or none"):
        (await db_session.execute(two_admins)).scalar_one_or_none()
    # .first() picks one of them without a word: right for "any", wrong for "the".
    assert (await db_session.execute(two_admins)).scalars().first() is not None


@pytest.mark.slow
async def test_query_does_not_exist_on_async_session(db_session: AsyncSession) -> None:
    await add_users(db_session)

    with pytest.raises(AttributeError) as error:
        await avoid.find_by_email(db_session, "ada@example.com")
    assert str(error.value) == "'AsyncSession' object has no attribute 'query'"
    # mypy --strict says so before anything runs.
    query_line = line_of(AVOID, "return session.query(")
    no_query = '"AsyncSession" has no attribute "query"'
    assert Finding(query_line, "attr-defined", no_query) in mypy_findings(AVOID)


async def test_query_on_the_sync_session_raises_missing_greenlet(
    db_session: AsyncSession,
) -> None:
    await add_users(db_session)

    with pytest.raises(MissingGreenlet, match="greenlet_spawn has not been called"):
        await avoid.count_users(db_session)


@pytest.mark.slow
async def test_execute_without_scalars_returns_rows(db_session: AsyncSession) -> None:
    _, _, cyd = await add_users(db_session)

    row = await avoid.newest_admin(db_session)

    assert isinstance(row, Row)  # not a User: a row of one column, named after the entity
    assert row._fields == ("User",)
    assert row[0] is cyd
    with pytest.raises(AttributeError, match="email"):
        _ = row.email
    assert Finding(
        line_of(AVOID, "(await session.execute(stmt)).first()"),
        "return-value",
        'Incompatible return value type (got "Row[tuple[User]] | None", expected "User | None")',
    ) in mypy_findings(AVOID)
