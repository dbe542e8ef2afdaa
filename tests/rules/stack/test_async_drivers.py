"""Proofs for stack/async-drivers: one snippet runs on asyncpg and on psycopg 3 against
PostgreSQL; an async engine refuses psycopg2 (and any other sync driver)."""

import importlib.util

import pytest
from sqlalchemy import exc, make_url
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.models import User
from rulebook.versions import locked_versions
from snippets.stack.async_drivers import avoid, do
from tests.evidence import Evidence
from tests.lint import ROOT

# The class of the driver's own connection object, under SQLAlchemy's adapter.
DRIVERS = {
    make_url(do.ASYNCPG_URL).drivername: "asyncpg.connection.Connection",
    make_url(do.PSYCOPG_URL).drivername: "psycopg.AsyncConnection",
}


@pytest.mark.parametrize("drivername", DRIVERS)
async def test_one_snippet_runs_on_both_async_drivers(
    drivername: str, database_url: str, engine: AsyncEngine
) -> None:
    """Runs with the Do's `postgresql+asyncpg` driver name and with `postgresql+psycopg`, on the
    run's database URL (for the embedded server a unix socket, `?host=<dir>`, which both drivers
    accept): the dialect is async, the raw connection is an `asyncpg.connection.Connection` and a
    `psycopg.AsyncConnection` respectively, and `emails_at(session, "example.com")` returns
    `["a@example.com", "b@example.com"]` from the same three users, inserted inside a
    transaction that is rolled back."""
    # The run's database (tables created by `engine`), reached through the Do's URL scheme;
    # the embedded server's unix socket (`?host=<dir>`) works for both drivers.
    url = make_url(database_url).set(drivername=drivername)
    driver_engine = do.make_engine(url.render_as_string(hide_password=False))
    try:
        async with driver_engine.connect() as connection:
            outer = await connection.begin()
            assert connection.dialect.is_async
            raw = await connection.get_raw_connection()
            driver_class = type(raw.driver_connection)
            assert f"{driver_class.__module__}.{driver_class.__qualname__}" == DRIVERS[drivername]
            session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint")
            session.add_all(
                User(email=email, hashed_password="x")
                for email in ("b@example.com", "a@example.com", "c@example.org")
            )
            await session.commit()  # releases a SAVEPOINT; the outer transaction is rolled back

            assert await do.emails_at(session, "example.com") == ["a@example.com", "b@example.com"]
            await session.close()
            await outer.rollback()
    finally:
        await driver_engine.dispose()


@pytest.mark.parametrize("url", [avoid.PSYCOPG2_URL, avoid.DEFAULT_DRIVER_URL])
def test_async_engine_on_psycopg2_fails(url: str, evidence: Evidence) -> None:
    """For `postgresql+psycopg2://...` and for `postgresql://...`, SQLAlchemy in async mode
    resolves the dialect class `PGDialect_psycopg2`, whose `is_async` is `False`. psycopg2 is
    not installed here (not in `uv.lock`, no import spec), so the Avoid's `make_engine` raises
    `ModuleNotFoundError: No module named 'psycopg2'` before any connection is attempted."""
    # Both URLs name psycopg2, a sync driver: the dialect SQLAlchemy picks says so.
    dialect = make_url(url).get_dialect(_is_async=True)
    evidence.add(
        f"{dialect.__module__}.{dialect.__qualname__}, is_async={dialect.is_async}",
        f"make_url({url!r}).get_dialect(_is_async=True)",
    )
    assert dialect is PGDialect_psycopg2
    assert dialect.is_async is False

    # psycopg2 is not installed here (and not in uv.lock), so the engine fails on the import.
    assert importlib.util.find_spec("psycopg2") is None
    assert "psycopg2" not in locked_versions(ROOT / "uv.lock")
    with pytest.raises(ModuleNotFoundError) as raised:
        avoid.make_engine(url)
    evidence.add(raised.value, f"make_engine({url!r})")
    assert str(raised.value) == "No module named 'psycopg2'"


def test_async_engine_refuses_an_installed_sync_driver() -> None:
    """The check that fires once a sync driver is installed, on the one that always is (pysqlite,
    from the standard library): `create_async_engine("sqlite+pysqlite://")` raises
    `InvalidRequestError: The asyncio extension requires an async driver to be used. The loaded
    'pysqlite' is not async.`"""
    # With the sync driver installed, the next check fires: here on pysqlite (standard library),
    # the same `is_async` flag psycopg2's dialect has.
    with pytest.raises(exc.InvalidRequestError) as raised:
        create_async_engine("sqlite+pysqlite://")

    assert str(raised.value) == (
        "The asyncio extension requires an async driver to be used. "
        "The loaded 'pysqlite' is not async."
    )
