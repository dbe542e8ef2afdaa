"""User input reaches PostgreSQL only as bound parameters, never as SQL text."""

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def find_users_by_name(session: AsyncSession, name: str) -> list[tuple[int, str]]:
    # A SQLAlchemy expression: `name` is sent as a parameter ($1), never spliced in.
    stmt = select(User.id, User.email).where(User.full_name == name).order_by(User.id)
    return [(row.id, row.email) for row in await session.execute(stmt)]


async def find_users_by_name_sql(session: AsyncSession, name: str) -> list[tuple[int, str]]:
    # Hand-written SQL is fine too, with a `:name` placeholder and the value passed separately.
    stmt = text("SELECT id, email FROM users WHERE full_name = :name ORDER BY id")
    return [(row.id, row.email) for row in await session.execute(stmt, {"name": name})]
