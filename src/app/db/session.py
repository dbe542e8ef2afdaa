"""Engine, session factory and the ``get_db`` dependency: created once, at import."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.core.config import get_settings

# --8<-- [start:engine]
engine = create_async_engine(
    get_settings().database_url,
    pool_pre_ping=True,  # check each connection at checkout; replace it if the server dropped it
    # Sized for this process: at most 15 connections. Every worker process has a pool of its
    # own, so workers x 15 must stay below the server's max_connections.
    pool_size=10,
    max_overflow=5,
)
AsyncSessionLocal = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


# --8<-- [start:unavailable]
class DatabaseUnavailable(Exception):
    """The database cannot be reached: the app answers 503 with Retry-After (see main.py)."""


async def get_db() -> AsyncIterator[AsyncSession]:
    # `async with` rolls back on an exception and closes the session; commits belong to services.
    async with AsyncSessionLocal() as session:
        try:
            yield session
        except OSError as error:
            # asyncpg cannot reach the server (refused, no socket): SQLAlchemy passes the OSError
            # on unwrapped. Once the server is back, pool_pre_ping replaces the dead connections.
            raise DatabaseUnavailable from error


# --8<-- [end:unavailable]
# --8<-- [end:engine]
