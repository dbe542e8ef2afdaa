"""Engine, session factory and the ``get_db`` dependency: created once, at import."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.core.config import get_settings

# --8<-- [start:engine]
engine = create_async_engine(get_settings().database_url, pool_pre_ping=True)
AsyncSessionLocal = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_db() -> AsyncIterator[AsyncSession]:
    # `async with` rolls back on an exception and closes the session; commits belong to services.
    async with AsyncSessionLocal() as session:
        yield session


# --8<-- [end:engine]
