"""A session dependency with nothing to say when the database is down: the driver's OSError
(connection refused, no such socket) goes up unhandled, and every client gets a bare 500 with no
hint that the fault is passing or when to try again."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import AsyncSessionLocal


async def get_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:
        yield session
