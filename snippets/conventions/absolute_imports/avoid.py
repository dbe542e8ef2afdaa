"""A relative star import, a relative import out of its package, in no particular order."""

from .queries import *
from sqlalchemy.ext.asyncio import AsyncSession
from ..naming.do import UserRead


async def active_user_page(session: AsyncSession) -> list[UserRead]:
    users = await session.scalars(active_users().order_by(User.email))
    return [UserRead.model_validate(user) for user in users]
