"""Proofs for async-sqlalchemy/typed-columns: `Mapped[...]` annotations decide the DDL's NULL /
NOT NULL and mypy's types; `server_default=func.now()` timestamps are filled by PostgreSQL."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models import User
from snippets.async_sqlalchemy.typed_columns import avoid
from tests.evidence import Evidence
from tests.lint import line_of
from tests.rules.async_sqlalchemy.checks import Finding, mypy_findings

AVOID = Path(avoid.__file__)
COLUMNS = text(
    "SELECT column_name, data_type, is_nullable, column_default"
    " FROM information_schema.columns"
    " WHERE table_name = :table AND table_schema = current_schema()"
    " ORDER BY ordinal_position"
)


async def columns(connection: AsyncConnection, table: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await connection.execute(COLUMNS, {"table": table})]


async def test_annotations_decide_null_and_not_null(db_session: AsyncSession) -> None:
    """`information_schema.columns` for the `users` table the models created shows each
    column's type, nullability and default (the table above); a plain SQL INSERT with a `NULL`
    e-mail is refused: `null value in column "email" of relation "users" violates not-null
    constraint`."""
    connection = await db_session.connection()

    assert await columns(connection, User.__tablename__) == [
        ("id", "integer", "NO", "nextval('users_id_seq'::regclass)"),
        ("email", "character varying", "NO", None),
        ("full_name", "character varying", "YES", None),  # Mapped[str | None]
        ("hashed_password", "character varying", "NO", None),
        ("is_active", "boolean", "NO", "true"),
        ("is_admin", "boolean", "NO", "false"),
        ("created_at", "timestamp with time zone", "NO", "now()"),
        ("token_version", "integer", "NO", "0"),
    ]
    # NOT NULL is enforced by PostgreSQL, whatever inserts the row.
    with pytest.raises(IntegrityError, match='null value in column "email" of relation "users"'):
        async with db_session.begin_nested():
            await db_session.execute(
                text("INSERT INTO users (email, hashed_password) VALUES (NULL, 'x')")
            )


async def test_database_fills_created_at(db_session: AsyncSession) -> None:
    """A plain SQL INSERT naming only `email` and `hashed_password` gets `is_active = true`,
    `is_admin = false` and a `created_at` equal to PostgreSQL's `now()` for the transaction; a
    user added through the ORM gets the same value, read back after the INSERT, as an aware
    datetime with a UTC offset of zero."""
    # A row inserted without the ORM, as a script or a data migration would.
    inserted = await db_session.execute(
        text(
            "INSERT INTO users (email, hashed_password) VALUES ('ada@example.com', 'x')"
            " RETURNING created_at, is_active, is_admin, now() AS transaction_start"
        )
    )
    created_at, is_active, is_admin, transaction_start = inserted.one()
    # PostgreSQL's now() is the transaction's start: the default ran in the database.
    assert created_at == transaction_start
    assert (is_active, is_admin) == (True, False)

    # Through the ORM, the value is read back after the INSERT; never set in Python.
    user = User(email="bob@example.com", hashed_password="x")
    db_session.add(user)
    await db_session.flush()
    await db_session.refresh(user)
    assert user.created_at == transaction_start
    assert user.created_at.tzinfo is not None  # timestamp with time zone: an aware datetime
    assert user.created_at.utcoffset() == UTC.utcoffset(None)


async def test_untyped_columns_accept_null(db_session: AsyncSession, evidence: Evidence) -> None:
    """The Avoid's `legacy_users` table: every column but `id` is nullable, `created_at` is
    `timestamp without time zone`, no column has a default, and a plain SQL INSERT of only a
    name stores `NULL` for the e-mail, the password, `is_active` and `created_at`. Through the
    ORM the Python defaults fill `is_active` and `created_at`, the latter a naive datetime."""
    connection = await db_session.connection()
    await connection.run_sync(avoid.Base.metadata.create_all)

    legacy_columns = await columns(connection, avoid.LegacyUser.__tablename__)
    evidence.add(
        "\n".join(" | ".join(str(value) for value in column) for column in legacy_columns),
        "information_schema.columns of the Avoid's legacy_users: name | type | nullable | default",
    )
    assert legacy_columns == [
        ("id", "integer", "NO", "nextval('legacy_users_id_seq'::regclass)"),
        ("email", "character varying", "YES", None),
        ("full_name", "character varying", "YES", None),
        ("hashed_password", "character varying", "YES", None),
        ("is_active", "boolean", "YES", None),
        ("created_at", "timestamp without time zone", "YES", None),
    ]
    # A row with no e-mail, no password and no timestamp is accepted.
    await connection.execute(text("INSERT INTO legacy_users (full_name) VALUES ('Nobody')"))
    row = (await connection.execute(text("SELECT * FROM legacy_users"))).one()
    evidence.add(
        ", ".join(
            f"{name}={getattr(row, name)!r}"
            for name in ("full_name", "email", "hashed_password", "is_active", "created_at")
        ),
        "INSERT INTO legacy_users (full_name) VALUES ('Nobody'): accepted, and stored as",
    )
    assert (row.email, row.hashed_password, row.is_active, row.created_at) == (
        None,
        None,
        None,
        None,
    )

    # The ORM fills them: created_at from the app's clock, a naive datetime with no time zone.
    user = avoid.LegacyUser(email="ada@example.com")
    db_session.add(user)
    await db_session.flush()
    is_active: object = user.is_active  # mypy thinks it is a Column[bool]
    assert is_active is True
    assert isinstance(user.created_at, datetime)
    assert user.created_at.tzinfo is None
    evidence.add(
        f"is_active={is_active!r}, created_at.tzinfo={user.created_at.tzinfo!r}",
        "A LegacyUser added through the ORM, after the flush",
    )


@pytest.mark.slow
def test_untyped_columns_hide_none_from_mypy(evidence: Evidence) -> None:
    """`display_name(LegacyUser())`, declared to return `str`, returns `None`; mypy's only
    finding on the Avoid is `Incompatible return value type (got "Column[str]", expected
    "str") [return-value]`, about the column type, not the missing `None`."""
    # Declared to return str; returns None for a user with neither name nor e-mail.
    assert avoid.display_name(avoid.LegacyUser()) is None
    evidence.add(repr(avoid.display_name(avoid.LegacyUser())), "display_name(LegacyUser()) -> str")
    assert avoid.display_name(avoid.LegacyUser(email="ada@example.com")) == "ada@example.com"
    # mypy sees Column[str], not str | None: it cannot point at the missing None check.
    findings = mypy_findings(AVOID)
    evidence.add(
        "\n".join(f"{AVOID}:{f.line}: error: {f.message}  [{f.code}]" for f in findings),
        "mypy --strict on the Avoid: all it reports",
    )
    assert findings == [
        Finding(
            line_of(AVOID, "return user.full_name or user.email"),
            "return-value",
            'Incompatible return value type (got "Column[str]", expected "str")',
        )
    ]
