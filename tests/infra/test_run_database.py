"""The run's database is fresh and unique, the app uses it, and `client` reaches the app."""

import asyncio
import os
import re
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import func, make_url, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.db.base import Base
from app.db.session import engine as app_engine
from app.db.session import get_db
from app.models import User
from tests.conftest import RUN_DATABASE, pytest_report_header
from tests.database import URL_ENV, create_database, new_database_name, open_run_database


async def test_run_database_is_fresh_unique_and_the_apps(
    pytestconfig: pytest.Config, db_session: AsyncSession, database_url: str
) -> None:
    run = pytestconfig.stash[RUN_DATABASE]
    assert re.fullmatch(r"rulebook_test_[0-9a-f]{12}", run.name)
    assert await db_session.scalar(text("SELECT current_database()")) == run.name
    assert make_url(database_url).database == run.name
    assert make_url(database_url).drivername == "postgresql+asyncpg"
    assert os.environ["APP_DATABASE_URL"] == database_url
    assert os.environ["APP_JWT_SECRET"]

    # Fresh: CREATE DATABASE refuses an existing name, so the run never reuses a database ...
    with pytest.raises(DBAPIError, match="already exists"):
        await create_database(run.server.admin_url, run.name)
    # ... and it holds only what the test fixtures created.
    tables = set(
        await db_session.scalars(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        )
    )
    assert "users" in tables
    assert tables <= set(Base.metadata.tables)
    # Unique: a new name every time.
    assert len({new_database_name() for _ in range(1000)}) == 1000


def test_report_header_names_backend_version_and_database(pytestconfig: pytest.Config) -> None:
    run = pytestconfig.stash[RUN_DATABASE]
    header = pytest_report_header(pytestconfig)
    assert header is not None
    assert str(run.server.backend) in header
    assert run.version in header
    assert run.name in header


async def test_url_backend_creates_and_drops_its_database_on_that_server(
    pytestconfig: pytest.Config,
) -> None:
    # The current run's server, given as TEST_DATABASE_URL with a plain postgresql:// scheme.
    admin_url = pytestconfig.stash[RUN_DATABASE].server.admin_url
    given = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)

    nested = await asyncio.to_thread(open_run_database, {URL_ENV: given})
    try:
        assert nested.server.backend == "url"
        assert nested.url.drivername == "postgresql+asyncpg"
        assert await database_exists(admin_url.render_as_string(hide_password=False), nested.name)
    finally:
        await asyncio.to_thread(nested.close)
    assert not await database_exists(admin_url.render_as_string(hide_password=False), nested.name)
    # Not ours: the server itself still answers.
    assert await database_exists(
        admin_url.render_as_string(hide_password=False), admin_url.database or ""
    )


async def database_exists(url: str, name: str) -> bool:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}
            )
    finally:
        await engine.dispose()
    return bool(found == 1)


async def test_apps_own_engine_uses_the_run_database(pytestconfig: pytest.Config) -> None:
    # APP_DATABASE_URL was set before `app` was first imported, so the engine `app.db.session`
    # built at import (and the un-overridden `get_db`) point at this run's database.
    try:
        async for session in get_db():
            name = await session.scalar(text("SELECT current_database()"))
            assert name == pytestconfig.stash[RUN_DATABASE].name
    finally:
        await app_engine.dispose()  # no pooled connection may outlive the test's event loop


async def test_client_serves_the_reference_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text


async def test_client_requests_use_the_tests_session(
    asgi_app: FastAPI, client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    @asgi_app.get("/probe")
    async def probe(session: Annotated[AsyncSession, Depends(get_db)]) -> dict[str, object]:
        count = await session.scalar(
            select(func.count()).select_from(User).where(User.email == "probe@example.com")
        )
        return {"same_session": session is db_session, "count": count}

    # Flushed, not committed: only the test's own transaction can see this row.
    db_session.add(User(email="probe@example.com", hashed_password="x"))
    await db_session.flush()

    response = await client.get("/probe")
    assert response.json() == {"same_session": True, "count": 1}
