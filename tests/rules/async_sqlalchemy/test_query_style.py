"""Proofs for async-sqlalchemy/query-style: `select()` + `await session.execute()` + a result
shape work on AsyncSession; the 1.x `session.query()` does not exist there."""

from pathlib import Path

import pytest
from sqlalchemy import Row, select
from sqlalchemy.exc import MissingGreenlet, MultipleResultsFound
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.async_sqlalchemy.query_style import avoid, do
from tests.evidence import Evidence
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
    """The Do: `find_by_email` returns Bob for his address and `None` for an unknown one,
    `newest_admin` returns Cyd (same `created_at`, higher id), `active_users` returns
    `[Ada, Cyd]`, and `get_user` of an unknown id returns `None`."""
    ada, bob, cyd = await add_users(db_session)

    assert await do.find_by_email(db_session, "bob@example.com") is bob
    assert await do.find_by_email(db_session, "nobody@example.com") is None
    assert await do.newest_admin(db_session) is cyd  # same created_at: the higher id wins
    assert list(await do.active_users(db_session)) == [ada, cyd]
    assert await do.get_user(db_session, 999_999) is None


async def test_get_reads_the_identity_map_first(db_session: AsyncSession) -> None:
    """With the statements recorded, `get_user` for a user already in the session sends no
    query; after `expunge_all()` it sends one `SELECT ... WHERE users.id = $1`."""
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
    """On a query matching both admins, `.scalar_one_or_none()` raises `MultipleResultsFound:
    Multiple rows were found when one or none was required`, while `.scalars().first()`
    returns one of them without complaint."""
    await add_users(db_session)
    two_admins = select(User).where(User.is_admin)

    with pytest.raises(MultipleResultsFound, match="Multiple rows were found when one or none"):
        (await db_session.execute(two_admins)).scalar_one_or_none()
    # .first() picks one of them without a word: right for "any", wrong for "the".
    assert (await db_session.execute(two_admins)).scalars().first() is not None


@pytest.mark.slow
async def test_query_does_not_exist_on_async_session(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The Avoid's `find_by_email` raises `AttributeError: 'AsyncSession' object has no
    attribute 'query'`, and `mypy --strict` reports the same line as `attr-defined`."""
    await add_users(db_session)

    with pytest.raises(AttributeError) as error:
        await avoid.find_by_email(db_session, "ada@example.com")
    assert str(error.value) == "'AsyncSession' object has no attribute 'query'"
    evidence.add(error.value, "The Avoid's find_by_email(session, ...)")
    # mypy --strict says so before anything runs.
    query_line = line_of(AVOID, "return session.query(")
    no_query = '"AsyncSession" has no attribute "query"'
    finding = Finding(query_line, "attr-defined", no_query)
    assert finding in mypy_findings(AVOID)
    evidence.add(mypy_line(finding), "mypy --strict on the Avoid")


def mypy_line(finding: Finding) -> str:
    """`finding` as mypy prints it."""
    return f"{AVOID}:{finding.line}: error: {finding.message}  [{finding.code}]"


async def test_query_on_the_sync_session_raises_missing_greenlet(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The Avoid's `count_users`, `session.sync_session.query(...)`, raises `MissingGreenlet:
    greenlet_spawn has not been called; can't call await_only() here`."""
    await add_users(db_session)

    with pytest.raises(MissingGreenlet, match="greenlet_spawn has not been called") as error:
        await avoid.count_users(db_session)
    evidence.add(error.value, "The Avoid's count_users(session)")


@pytest.mark.slow
async def test_execute_without_scalars_returns_rows(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The Avoid's `newest_admin` returns a `Row` whose `_fields` are `("User",)` and whose
    `[0]` is Cyd; `row.email` raises `AttributeError`, and mypy reports the return as
    `return-value`, `got "Row[tuple[User]] | None", expected "User | None"`."""
    _, _, cyd = await add_users(db_session)

    row = await avoid.newest_admin(db_session)

    assert isinstance(row, Row)  # not a User: a row of one column, named after the entity
    assert row._fields == ("User",)
    assert row[0] is cyd
    evidence.add(
        f"{type(row).__module__}.{type(row).__qualname__}, _fields: {row._fields!r}",
        "What the Avoid's newest_admin(session) returns",
    )
    with pytest.raises(AttributeError, match="email") as error:
        _ = row.email
    evidence.add(error.value, "row.email")
    finding = Finding(
        line_of(AVOID, "(await session.execute(stmt)).first()"),
        "return-value",
        'Incompatible return value type (got "Row[tuple[User]] | None", expected "User | None")',
    )
    assert finding in mypy_findings(AVOID)
    evidence.add(mypy_line(finding), "mypy --strict on the Avoid")
