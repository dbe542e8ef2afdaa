"""Database access for the admin's user list."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def list_users(session: AsyncSession) -> list[User]:
    stmt = select(User).order_by(User.id)
    return list(await session.scalars(stmt))
