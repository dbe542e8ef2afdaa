"""Catch only the exceptions you expect and can handle; everything else reaches the app's
exception handlers (a logged 500), and cancellation is never caught."""

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


class EmailAlreadyRegistered(Exception):
    """A domain exception: the app maps it to 409 with a fixed message."""


async def save_user(session: AsyncSession, user: User) -> None:
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as error:  # the unique index on users.email
        await session.rollback()
        raise EmailAlreadyRegistered(user.email) from error


async def find_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)  # None means not found, and nothing else


async def fetch_with_retry(fetch: Callable[[], Awaitable[bytes]], attempts: int = 3) -> bytes:
    for _ in range(attempts - 1):
        try:
            return await fetch()
        except ConnectionError:  # retry only what a retry can fix
            continue
    return await fetch()  # the last attempt's error reaches the caller
