"""Proofs for async-sqlalchemy/alembic-migrations: the app's Alembic migrations build exactly
the models' schema on an empty database; `create_all` never alters a table that exists."""

import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect, make_url, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from app.db.base import Base
from app.models import User
from snippets.async_sqlalchemy.alembic_migrations import avoid
from tests.database import DATABASE_PREFIX, create_database, drop_database

ROOT = Path(__file__).resolve().parents[3]
FIRST = "daea022fab96"
HEAD = "5b1f0c3e9a47"
RELEASE_1 = "CREATE TABLE customers (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL)"


def alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The `alembic` command, from the repository root, against the database at `url`."""
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=ROOT,
        env=os.environ | {"APP_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    """A new, empty database on the test server; its URL. Dropped afterwards."""
    server = make_url(database_url)
    name = f"{DATABASE_PREFIX}alembic_{secrets.token_hex(4)}"
    await create_database(server, name)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await drop_database(server, name)


def differences(connection: Connection, /, metadata: MetaData, **options: Any) -> list[Any]:
    """What autogenerate would write into a new migration for `metadata` on `connection`."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True, **options}
    )
    diff: list[Any] = compare_metadata(context, metadata)
    return diff


@pytest.mark.slow
async def test_upgrade_head_builds_the_models_schema(empty_database: str) -> None:
    """`python -m alembic upgrade head` on a new, empty database prints `Running upgrade  ->
    daea022fab96, Create the users table.` and `Running upgrade daea022fab96 -> 5b1f0c3e9a47,
    Add users.token_version.`; autogenerate's comparison with `Base.metadata` then finds no
    difference, `alembic_version` holds `5b1f0c3e9a47`, the names are `pk_users` and
    `ix_users_email`, `alembic check` prints `No new upgrade operations detected.` and exits 0,
    and `alembic downgrade base` leaves only `alembic_version`."""
    upgrade = alembic(empty_database, "upgrade", "head")
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"Running upgrade  -> {FIRST}, Create the users table." in upgrade.stderr
    assert f"Running upgrade {FIRST} -> {HEAD}, Add users.token_version." in upgrade.stderr

    engine = create_async_engine(empty_database, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            assert User.__tablename__ in Base.metadata.tables  # the models, via app.models
            # Autogenerate compares the migrated database with every model: nothing to add.
            assert await connection.run_sync(differences, Base.metadata) == []
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            names = await connection.run_sync(constraint_names)
    finally:
        await engine.dispose()
    assert version == HEAD
    # The names come from Base's naming convention, the same in every database.
    assert names == {"pk_users", "ix_users_email"}

    check = alembic(empty_database, "check")
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected." in check.stdout + check.stderr

    downgrade = alembic(empty_database, "downgrade", "base")
    assert downgrade.returncode == 0, downgrade.stderr
    engine = create_async_engine(empty_database, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    assert tables == ["alembic_version"]


def constraint_names(connection: Connection) -> set[str]:
    inspector = inspect(connection)
    primary_key = inspector.get_pk_constraint("users")["name"]
    indexes = {index["name"] for index in inspector.get_indexes("users")}
    return {primary_key, *indexes} - {None}  # type: ignore[return-value]


@pytest.fixture
async def release_1(session_factory: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """An engine on a private schema where release 1 created `customers`, with one row."""
    engine = session_factory.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    async with engine.begin() as connection:
        await connection.execute(text(RELEASE_1))
        await connection.execute(text("INSERT INTO customers (name) VALUES ('Ada')"))
    return engine


def only_customers(name: str | None, type_: str, parent_names: Any) -> bool:
    # The private schema also holds the app's tables; compare `customers` only.
    return type_ != "table" or name == "customers"


@pytest.mark.commits
async def test_create_all_leaves_an_existing_table_unchanged(release_1: AsyncEngine) -> None:
    # Release 2 starts: create_all runs, sees that `customers` exists, and does nothing.
    await avoid.create_tables(release_1)

    async with release_1.connect() as connection:
        columns = await connection.run_sync(
            lambda c: [column["name"] for column in inspect(c).get_columns("customers")]
        )
        assert columns == ["id", "name"]  # no `phone`
        # The first query of release 2 fails.
        with pytest.raises(ProgrammingError, match=r"column customers\.phone does not exist"):
            await connection.execute(select(avoid.Customer))
        await connection.rollback()

        # Autogenerate sees the missing column: a migration would have added it.
        diff = await connection.run_sync(
            differences, avoid.Base.metadata, include_name=only_customers
        )
    assert [(op, table, column.name) for op, _, table, column in diff] == [
        ("add_column", "customers", "phone")
    ]


class RenamedBase(DeclarativeBase):
    pass


class RenamedCustomer(RenamedBase):
    """Release 2 renames `name` to `full_name`."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str]


@pytest.mark.commits
async def test_autogenerate_sees_a_rename_as_drop_and_add(release_1: AsyncEngine) -> None:
    async with release_1.connect() as connection:
        diff = await connection.run_sync(
            differences, RenamedBase.metadata, include_name=only_customers
        )

    # Not a rename: a new empty column and the old one dropped with its data. Only a reviewer
    # can turn this into op.alter_column("customers", "name", new_column_name="full_name").
    assert sorted((op, column.name) for op, _, _, column in diff) == [
        ("add_column", "full_name"),
        ("remove_column", "name"),
    ]
