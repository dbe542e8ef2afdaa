"""A relative star import, a relative import out of its package, in no particular order."""

from .queries import *  # expect: ruff:F403, ruff:I001, ruff:TID252
from sqlalchemy.ext.asyncio import AsyncSession
from ..naming.do import UserRead  # expect: ruff:TID252


async def active_user_page(session: AsyncSession) -> list[UserRead]:
    users = await session.scalars(active_users().order_by(User.email))  # expect: ruff:F405
    return [UserRead.model_validate(user) for user in users]
