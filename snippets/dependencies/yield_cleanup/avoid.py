"""A dependency that returns a session instead of yielding it: nobody ever closes it."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import AsyncSessionLocal


async def get_session() -> AsyncSession:
    return AsyncSessionLocal()  # expect: RB503
