"""Exceptions caught wholesale and swallowed: failures that look like success."""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def save_user(session: AsyncSession, user: User) -> None:
    session.add(user)
    try:
        await session.commit()
    except Exception:  # expect: ruff:BLE001, ruff:S110
        pass  # "a duplicate is fine"


async def find_user(session: AsyncSession, user_id: int) -> User | None:
    try:
        return await session.get(User, user_id)
    except Exception:  # expect: ruff:BLE001
        return None  # every failure reads as "no such user"


async def fetch_with_retry(fetch: Callable[[], Awaitable[bytes]], attempts: int = 3) -> bytes:
    for _ in range(attempts - 1):
        try:
            return await fetch()
        except:  # expect: ruff:E722
            continue  # catches cancellation too
    return await fetch()
