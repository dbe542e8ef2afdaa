"""The 1.x Query API, and 2.0 results read without `.scalars()`."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    # expect: RB305
    return session.query(User).filter(User.email == email).first()  # legacy 1.x Query


async def count_users(session: AsyncSession) -> int:
    # "AsyncSession has no query(), the sync session underneath has one."
    return session.sync_session.query(User).count()  # expect: RB305


async def newest_admin(session: AsyncSession) -> User | None:
    stmt = select(User).where(User.is_admin).order_by(User.created_at.desc(), User.id.desc())
    return (await session.execute(stmt)).first()  # a Row holding a User, not a User
