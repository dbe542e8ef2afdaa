"""Absolute imports of named things, in the order ruff's isort rules keep them."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.conventions.absolute_imports.queries import active_users
from snippets.conventions.naming.do import UserRead


async def active_user_page(session: AsyncSession) -> list[UserRead]:
    users = await session.scalars(active_users().order_by(User.email))
    return [UserRead.model_validate(user) for user in users]
