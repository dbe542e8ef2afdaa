"""An async engine on an async driver: asyncpg, or psycopg 3 as the alternative."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.models import User

ASYNCPG_URL = "postgresql+asyncpg://app:secret@db.internal:5432/app"
PSYCOPG_URL = "postgresql+psycopg://app:secret@db.internal:5432/app"  # psycopg 3: async too


def make_engine(url: str) -> AsyncEngine:
    return create_async_engine(url, pool_pre_ping=True)


async def emails_at(session: AsyncSession, domain: str) -> list[str]:
    stmt = select(User.email).where(User.email.endswith(f"@{domain}")).order_by(User.email)
    return list(await session.scalars(stmt))
