"""Independent queries run at once: each task opens a session, and so a connection, of its own."""

import asyncio

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from snippets.async_sqlalchemy.concurrent_queries.counts import ACTIVE, ADMINS, USERS, UserCounts


async def count(sessions: async_sessionmaker[AsyncSession], stmt: Select[tuple[int]]) -> int:
    async with sessions() as session:
        return (await session.execute(stmt)).scalar_one()


async def user_counts(sessions: async_sessionmaker[AsyncSession]) -> UserCounts:
    # The TaskGroup waits for all three; if one fails, it cancels the others and raises.
    async with asyncio.TaskGroup() as tasks:
        total = tasks.create_task(count(sessions, USERS))
        active = tasks.create_task(count(sessions, ACTIVE))
        admins = tasks.create_task(count(sessions, ADMINS))
    return UserCounts(total.result(), active.result(), admins.result())
