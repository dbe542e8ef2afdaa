"""Proofs for how-to-work/reviewed-migrations: a model change without a migration is what
autogenerate (and `alembic check`) reports; the reviewed migration brings the database to the
model and back; a column added by hand exists in one database only, with another type than the
model's, and the model's queries fail everywhere else."""

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from snippets.how_to_work.reviewed_migrations import do
from snippets.how_to_work.reviewed_migrations.models import Base, Customer
from tests.evidence import Evidence

FOLDER = Path(do.__file__).parent
RELEASE_1 = "CREATE TABLE customers (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL)"


def only_customers(name: str | None, type_: str, parent_names: Any) -> bool:
    # The database also holds the app's tables; compare `customers` only.
    return type_ != "table" or name == "customers"


def pending(connection: Connection) -> list[Any]:
    """What autogenerate would put in a new migration: what `alembic check` reports."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": only_customers}
    )
    diff: list[Any] = compare_metadata(context, Base.metadata)
    return diff


def migrate(connection: Connection, direction: str) -> None:
    context = MigrationContext.configure(connection)
    with Operations.context(context):
        getattr(do, direction)()


@pytest.fixture
async def release_1(db_session: AsyncSession) -> AsyncConnection:
    """The test's connection (rolled back afterwards) with release 1's `customers` table."""
    connection = await db_session.connection()
    await connection.execute(text(RELEASE_1))
    await connection.execute(text("INSERT INTO customers (name) VALUES ('Ada')"))
    return connection


async def test_model_change_without_a_migration_is_reported(release_1: AsyncConnection) -> None:
    """Comparing release 1 with the model, as autogenerate and `alembic check` do, gives one
    operation: `add_column` of `customers.phone`, `VARCHAR(32)`."""
    (operation,) = await release_1.run_sync(pending)

    kind, _, table, column = operation
    assert (kind, table, column.name, str(column.type)) == (
        "add_column",
        "customers",
        "phone",
        "VARCHAR(32)",
    )


async def test_reviewed_migration_brings_the_database_to_the_model(
    release_1: AsyncConnection,
) -> None:
    """After the Do's `upgrade()` (run through Alembic's `Operations`), the comparison is empty
    and the existing row reads `("Ada", None)`; after `downgrade()`, the `add_column` is pending
    again."""
    await release_1.run_sync(migrate, "upgrade")

    assert await release_1.run_sync(pending) == []
    rows = await release_1.execute(select(Customer.name, Customer.phone))
    assert [tuple(row) for row in rows] == [("Ada", None)]  # the existing row kept, no value needed

    await release_1.run_sync(migrate, "downgrade")
    assert [op[0] for op in await release_1.run_sync(pending)] == ["add_column"]


async def test_column_added_by_hand_exists_in_one_database_only(
    release_1: AsyncConnection, evidence: Evidence
) -> None:
    """The Avoid's SQL run on that database, next to a `staging` schema built from the
    migrations. There the model's query works, but the comparison reports `modify_type` from
    `TEXT` to `VARCHAR(32)`; in `staging` the same query fails with `column customers.phone does
    not exist`."""
    # Another environment, built from the migrations: release 1 only, since none was written.
    await release_1.execute(text("CREATE SCHEMA staging"))
    await release_1.execute(text(RELEASE_1.replace("customers", "staging.customers")))
    await release_1.execute(text((FOLDER / "avoid.sql").read_text()))

    # Where it was typed, the model's query works...
    rows = await release_1.execute(select(Customer.name, Customer.phone))
    assert [tuple(row) for row in rows] == [("Ada", None)]
    # ...with a type the model does not have: autogenerate wants to change it.
    (operation,) = (await release_1.run_sync(pending))[0]
    assert operation[0] == "modify_type"
    assert (str(operation[5]), str(operation[6])) == ("TEXT", "VARCHAR(32)")
    evidence.add(
        f"{operation[0]} {operation[2]}.{operation[3]}: {operation[5]} -> {operation[6]}",
        "Autogenerate's comparison, where the column was typed",
    )
    # Everywhere else the column does not exist.
    staging = await release_1.execution_options(schema_translate_map={None: "staging"})
    with pytest.raises(
        ProgrammingError, match=r"column customers\.phone does not exist"
    ) as missing:
        async with release_1.begin_nested():  # rolled back to here: the test goes on
            await staging.execute(select(Customer.name, Customer.phone))
    evidence.add(missing.value, "The model's query, on staging (built from the migrations)")
    assert (await staging.execute(select(Customer.name))).scalars().all() == []
