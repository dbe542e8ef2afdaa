"""2.0-style queries on an AsyncSession, over the app's typed `User` model."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def count_active(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(User).where(User.is_active)
    return await session.scalar(stmt) or 0


def display_name(user: User) -> str:
    return user.full_name or user.email  # `str | None` and `str`, as mypy sees them
