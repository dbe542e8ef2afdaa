"""The admin's user list: business rules, no HTTP."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.how_to_work.smallest_diff import repository


async def list_users(session: AsyncSession) -> list[User]:
    return await repository.list_users(session)
