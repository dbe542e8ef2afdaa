"""A login that takes as long for an unknown e-mail as for a known one: the password is checked
against a stand-in Argon2 hash when there is no account."""

import secrets
from functools import cache

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password, verify_password
from app.models import User


@cache
def stand_in_hash() -> str:
    # Made once, with the current parameters, from a password nobody knows.
    return hash_password(secrets.token_urlsafe(32))


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.email == email))
    await session.commit()  # end the read: no pooled connection waits for Argon2
    hashed = stand_in_hash() if user is None else user.hashed_password
    # Argon2 takes tens of milliseconds on purpose: run it in a worker thread.
    valid = await to_thread.run_sync(verify_password, password, hashed)
    return user if user is not None and valid else None
