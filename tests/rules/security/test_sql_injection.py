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
from tests.evidence import Evidence
from tests.lint import ruff_diagnostics, ruff_findings

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
    db_session: AsyncSession, ids: dict[str, int], evidence: Evidence
) -> None:
    """The Avoid finds Ada by her name, then, given `' OR '1'='1`, returns all three users. The SQL
    sent to PostgreSQL contains `WHERE full_name = '' OR '1'='1' ORDER BY id`: the input became part
    of the query."""
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
    evidence.add(
        f"SQL sent: {' '.join(statement.split())}\n"
        + "\n".join(f"row: (<id>, {email!r})" for _, email in rows),
        f"find_users_by_name({ALWAYS_TRUE!r})",
    )


async def test_formatted_input_reads_password_hashes(
    db_session: AsyncSession, ids: dict[str, int], evidence: Evidence
) -> None:
    """Given `' UNION SELECT id, hashed_password FROM users --`, the Avoid returns every user's id
    with their password hash where the email should be."""
    rows = await avoid.find_users_by_name(db_session, UNION_HASHES)

    # Every user's hash comes back in the "email" column.
    assert sorted(rows) == sorted((ids[email], hashed) for email, _, hashed in USERS)
    emails = {user_id: email for email, user_id in ids.items()}
    evidence.add(
        "each user's hashed_password where the email should be:\n"
        + "\n".join(
            f"row: (<id of {emails[user_id]}>, {hashed!r})"
            for user_id, hashed in sorted(rows, key=lambda row: emails[row[0]])
        ),
        f"find_users_by_name({UNION_HASHES!r})",
    )


@pytest.mark.parametrize("find", [do.find_users_by_name, do.find_users_by_name_sql])
async def test_bound_parameters_match_the_payload_literally(
    db_session: AsyncSession, ids: dict[str, int], find: Any
) -> None:
    """Runs both Do functions: each finds Ada by name, and returns no rows for either payload. The
    statements sent contain `full_name = $1`, and the parameters are the payloads, untouched."""
    assert await find(db_session, "Ada Lovelace") == [(ids["ada@example.com"], "ada@example.com")]

    with sent_sql(db_session) as sent:
        for payload in (ALWAYS_TRUE, UNION_HASHES):
            assert await find(db_session, payload) == []  # nobody is called that

    # asyncpg receives `$1` in the SQL and the payload, untouched, as its value.
    assert [("full_name = $1" in statement, params) for statement, params in sent] == [
        (True, (ALWAYS_TRUE,)),
        (True, (UNION_HASHES,)),
    ]


def ruff_output(path: Path, *options: str) -> str:
    """Ruff's diagnostics on `path` as its text output prints them: `file:line:column: code
    message`."""
    lines = []
    for diagnostic in ruff_diagnostics(path, *options):
        location = diagnostic["location"]
        assert isinstance(location, dict)
        lines.append(
            f"{path}:{location['row']}:{location['column']}: "
            f"{diagnostic['code']} {diagnostic['message']}"
        )
    return "\n".join(lines)


def test_ruff_flags_the_formatted_query_only_with_bandit_rules(evidence: Evidence) -> None:
    """Ruff with the project's configuration reports nothing on the Avoid; with `--extend-select
    S608` it reports `S608` on the `text(f"...")` line, and nothing on the Do."""
    avoid_file = Path(avoid.__file__)
    do_file = Path(do.__file__)
    line = next(
        n for n, text in enumerate(avoid_file.read_text().splitlines(), start=1) if "text(f" in text
    )

    # The project's selection (E, F, I, UP, B, ASYNC, SIM, TID, RUF) says nothing...
    assert ruff_findings(avoid_file) == []
    # ...flake8-bandit's S608 names the line; the Do's bound parameters pass it.
    assert ruff_findings(avoid_file, "--extend-select", "S608") == [(line, "S608")]
    evidence.add(
        f"{len(ruff_findings(avoid_file))} findings",
        "ruff check snippets/security/sql_injection/avoid.py (the project's rules)",
    )
    evidence.add(
        ruff_output(avoid_file, "--extend-select", "S608"),
        "ruff check --extend-select S608 snippets/security/sql_injection/avoid.py",
    )
    assert ruff_findings(do_file, "--extend-select", "S608") == []
