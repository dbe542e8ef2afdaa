"""Proofs for security/sql-injection: input formatted into `text()` rewrites the query and
reads other users' rows and password hashes; bound parameters return nothing for the same
input."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.security.sql_injection import avoid, do
from tests.lint import ruff_findings

# Harmless payloads: they read, they change nothing.
ALWAYS_TRUE = "' OR '1'='1"
UNION_HASHES = "' UNION SELECT id, hashed_password FROM users --"
USERS = [
    ("ada@example.com", "Ada Lovelace", "$argon2id$ada-hash"),
    ("bob@example.com", "Bob Builder", "$argon2id$bob-hash"),
    ("cyd@example.com", "Cyd Charisse", "$argon2id$cyd-hash"),
]


@pytest.fixture
async def ids(db_session: AsyncSession) -> dict[str, int]:
    users = [User(email=e, full_name=n, hashed_password=h) for e, n, h in USERS]
    db_session.add_all(users)
    await db_session.flush()
    return {user.email: user.id for user in users}


@contextmanager
def sent_sql(session: AsyncSession) -> Iterator[list[tuple[str, Any]]]:
    """The statements and parameters the session's connection sends to PostgreSQL."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Connection, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_formatted_input_returns_every_user(
    db_session: AsyncSession, ids: dict[str, int]
) -> None:
    # The intended use: one name, one user.
    assert await avoid.find_users_by_name(db_session, "Ada Lovelace") == [
        (ids["ada@example.com"], "ada@example.com")
    ]

    with sent_sql(db_session) as sent:
        rows = await avoid.find_users_by_name(db_session, ALWAYS_TRUE)

    assert rows == [(ids[email], email) for email, _, _ in USERS]
    # The input became part of the SQL text.
    (statement, _), *_ = sent
    assert "WHERE full_name = '' OR '1'='1' ORDER BY id" in statement


async def test_formatted_input_reads_password_hashes(
    db_session: AsyncSession, ids: dict[str, int]
) -> None:
    rows = await avoid.find_users_by_name(db_session, UNION_HASHES)

    # Every user's hash comes back in the "email" column.
    assert sorted(rows) == sorted((ids[email], hashed) for email, _, hashed in USERS)


@pytest.mark.parametrize("find", [do.find_users_by_name, do.find_users_by_name_sql])
async def test_bound_parameters_match_the_payload_literally(
    db_session: AsyncSession, ids: dict[str, int], find: Any
) -> None:
    assert await find(db_session, "Ada Lovelace") == [(ids["ada@example.com"], "ada@example.com")]

    with sent_sql(db_session) as sent:
        for payload in (ALWAYS_TRUE, UNION_HASHES):
            assert await find(db_session, payload) == []  # nobody is called that

    # asyncpg receives `$1` in the SQL and the payload, untouched, as its value.
    assert [("full_name = $1" in statement, params) for statement, params in sent] == [
        (True, (ALWAYS_TRUE,)),
        (True, (UNION_HASHES,)),
    ]


def test_ruff_flags_the_formatted_query_only_with_bandit_rules() -> None:
    avoid_file = Path(avoid.__file__)
    do_file = Path(do.__file__)
    line = next(
        n for n, text in enumerate(avoid_file.read_text().splitlines(), start=1) if "text(f" in text
    )

    # The project's selection (E, F, I, UP, B, ASYNC, SIM, TID, RUF) says nothing...
    assert ruff_findings(avoid_file) == []
    # ...flake8-bandit's S608 names the line; the Do's bound parameters pass it.
    assert ruff_findings(avoid_file, "--extend-select", "S608") == [(line, "S608")]
    assert ruff_findings(do_file, "--extend-select", "S608") == []
