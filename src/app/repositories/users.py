"""Database access for users: SQLAlchemy 2.0 statements run on the session the caller passes."""

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


# --8<-- [start:repository]
async def get(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.scalars(select(User).where(User.email == email))).one_or_none()


def matching(q: str | None) -> ColumnElement[bool]:
    """Users whose email or name contains `q`; `%` and `_` in `q` match themselves."""
    if q is None:
        return true()
    return or_(
        User.email.icontains(q, autoescape=True), User.full_name.icontains(q, autoescape=True)
    )


async def list_page(session: AsyncSession, *, offset: int, limit: int, q: str | None) -> list[User]:
    stmt = select(User).where(matching(q)).order_by(User.id).offset(offset).limit(limit)
    return list(await session.scalars(stmt))


async def count(session: AsyncSession, *, q: str | None) -> int:
    stmt = select(func.count()).select_from(User).where(matching(q))
    return (await session.execute(stmt)).scalar_one()


def add(session: AsyncSession, user: User) -> None:
    session.add(user)  # INSERTed at the next flush


async def delete(session: AsyncSession, user: User) -> None:
    await session.delete(user)
    await session.flush()


# --8<-- [end:repository]
