"""User input formatted into the SQL text: the input can rewrite the query."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def find_users_by_name(session: AsyncSession, name: str) -> list[tuple[int, str]]:
    # expect: RB907, ruff:S608
    stmt = text(f"SELECT id, email FROM users WHERE full_name = '{name}' ORDER BY id")
    return [(row.id, row.email) for row in await session.execute(stmt)]
