"""Business logic for users: async, typed, free of HTTP. Each function that writes commits once,
at the end, as the unit of work of one request."""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password, password_hash, verify_password
from app.models import User
from app.repositories import users as user_repository
from app.schemas.types import normalize_email
from app.schemas.user import UserCreate, UserUpdate
from app.services.exceptions import (
    EmailAlreadyRegistered,
    IncorrectPassword,
    InvalidCredentials,
    UserNotFound,
)
from app.services.passwords import hashing_queue

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for a duplicate key


# --8<-- [start:service]
async def create_user(session: AsyncSession, data: UserCreate) -> User:
    # Argon2 is slow on purpose: hashed in a worker thread, before any connection is taken.
    hashed = await hashing_queue().run(hash_password, data.password)
    user = User(email=data.email, full_name=data.full_name, hashed_password=hashed)
    async with _unique_email(session, data.email):
        user_repository.add(session, user)
    await session.commit()
    return user


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await user_repository.get(session, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


# --8<-- [end:service]


async def list_users(
    session: AsyncSession, *, offset: int, limit: int, q: str | None
) -> tuple[list[User], int]:
    """One page of users matching `q`, and how many match in all."""
    items = await user_repository.list_page(session, offset=offset, limit=limit, q=q)
    return items, await user_repository.count(session, q=q)


# --8<-- [start:credential-change]
async def update_user(session: AsyncSession, user: User, data: UserUpdate) -> User:
    hashed = None
    # End the transaction that loaded `user` (get_current_user's): no pooled connection waits
    # idle in a transaction while Argon2 runs. The next statement begins a new one.
    await session.commit()
    if data.current_password is not None:  # sent with a new password or e-mail (UserUpdate)
        current = data.current_password
        if not await hashing_queue().run(verify_password, current, user.hashed_password):
            raise IncorrectPassword
    if data.password is not None:
        hashed = await hashing_queue().run(hash_password, data.password)
    async with _unique_email(session, data.email or user.email):
        if hashed is not None or data.email not in (None, user.email):
            user.token_version += 1  # a credential changed: every token issued before is void
        if hashed is not None:
            user.hashed_password = hashed
        if data.email is not None:
            user.email = data.email
        if "full_name" in data.model_fields_set:  # sent as null: cleared; not sent: kept
            user.full_name = data.full_name
    await session.commit()
    return user


# --8<-- [end:credential-change]


async def delete_user(session: AsyncSession, user_id: int) -> None:
    user = await get_user(session, user_id)
    await user_repository.delete(session, user)
    await session.commit()


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    """The active user with this email and password; InvalidCredentials for anything else."""
    # --8<-- [start:login-email]
    try:
        # The normalisation sign-up stored the address in, so the same bytes find the account.
        email = normalize_email(email)
    except ValueError:  # not an address (or NUL, a lone surrogate): no account can have it
        raise InvalidCredentials from None
    # --8<-- [end:login-email]
    # --8<-- [start:outside-transaction]
    hashing_queue().check()  # a full line refuses the login before it takes a connection
    user = await user_repository.get_by_email(session, email)
    # End the read: the connection goes back to the pool before Argon2 runs, not after. Held,
    # a login flood parks every pooled connection idle in transaction, and all requests wait.
    await session.commit()
    if user is None:
        # Verify against a stand-in hash, so an unknown email costs as much time as a known one.
        await hashing_queue().run(_verify_stand_in, password)
        raise InvalidCredentials
    valid, new_hash = await hashing_queue().run(
        password_hash.verify_and_update, password, user.hashed_password
    )
    # --8<-- [end:outside-transaction]
    if not valid or not user.is_active:
        raise InvalidCredentials
    if new_hash is not None:  # hashed with older parameters: store the current ones
        user.hashed_password = new_hash
        await session.commit()
    return user


@asynccontextmanager
async def _unique_email(session: AsyncSession, email: str) -> AsyncIterator[None]:
    """Write the block's changes in a SAVEPOINT. If the email is taken, the unique index rejects
    them, only the SAVEPOINT is rolled back (the session stays usable), and the caller gets
    EmailAlreadyRegistered. Race-free, unlike a SELECT before the write."""
    try:
        async with session.begin_nested():
            yield
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION:  # the email's unique index
            raise EmailAlreadyRegistered(email) from error
        raise


@cache
def _stand_in_hash() -> str:
    return hash_password(secrets.token_urlsafe(32))


def _verify_stand_in(password: str) -> bool:
    return verify_password(password, _stand_in_hash())
