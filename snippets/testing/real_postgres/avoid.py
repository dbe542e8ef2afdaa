"""Tests on SQLite: an in-memory database, quick to create, and not the one production runs."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from snippets.testing.real_postgres.teams import Base


@asynccontextmanager
async def sqlite_session() -> AsyncIterator[AsyncSession]:
    engine = create_async_engine("sqlite+aiosqlite://")  # expect: RB802
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)  # expect: RB307
    async with AsyncSession(engine) as session:
        yield session
    await engine.dispose()
