"""Concurrent queries sharing one AsyncSession: they fail, or merely wait for each other."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from snippets.async_sqlalchemy.concurrent_queries.counts import ACTIVE, ADMINS, USERS, UserCounts


async def user_counts(session: AsyncSession) -> UserCounts:
    total, active, admins = await asyncio.gather(  # expect: RB309
        session.scalar(USERS),
        session.scalar(ACTIVE),
        session.scalar(ADMINS),
    )
    return UserCounts(total, active, admins)
