"""SQLAlchemy 2.0 style: build a `select()`, await it on the session, pick the result's shape."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    # By primary key: the session's identity map first, a SELECT only if it is not there.
    return await session.get(User, user_id)


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(User.email == email)
    # A unique lookup: None for no row, and an error, not a guess, if there were two.
    return (await session.execute(stmt)).scalar_one_or_none()


async def newest_admin(session: AsyncSession) -> User | None:
    stmt = select(User).where(User.is_admin).order_by(User.created_at.desc(), User.id.desc())
    # Any number of rows: the first one, or None.
    return (await session.execute(stmt)).scalars().first()


async def active_users(session: AsyncSession) -> Sequence[User]:
    stmt = select(User).where(User.is_active).order_by(User.id)
    return (await session.execute(stmt)).scalars().all()
