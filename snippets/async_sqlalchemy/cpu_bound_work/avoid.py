"""Argon2 run inside the read's transaction, in AnyIO's shared worker threads with no bound on
the line for them: every login waiting for a thread keeps its pooled connection checked out and
idle in transaction, so a login flood empties the pool and other requests time out (500)
instead of being refused at once."""

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import verify_password
from app.models import User
from app.repositories import users as user_repository
from app.services.exceptions import InvalidCredentials
from snippets.security.timing_safe_login.do import stand_in_hash


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    user = await user_repository.get_by_email(session, email)  # begins a transaction
    hashed = stand_in_hash() if user is None else user.hashed_password
    # Still in that transaction: the connection waits here for a thread, then for Argon2.
    valid = await to_thread.run_sync(verify_password, password, hashed)
    if user is None or not valid or not user.is_active:
        raise InvalidCredentials
    return user
