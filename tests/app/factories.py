"""Builders for test data. A test states only the fields it is about; the factory fills in the
rest with valid, unique values, so no test depends on a shared dict of sample data.

Imports only `app` modules that read nothing at import (the model, the password and token
helpers), so a conftest may import this module before the test database exists.
"""

import itertools
from datetime import timedelta
from functools import cache

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import create_access_token, hash_password
from app.models import User

PASSWORD = "correct horse battery staple"
_serial = itertools.count(1)


@cache
def _hashed(password: str) -> str:
    # Argon2 is slow on purpose; hash each distinct test password once per run.
    return hash_password(password)


class UserFactory:
    """Users stored through the test's session (rolled back after the test)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def build(
        self,
        *,
        email: str | None = None,
        password: str = PASSWORD,
        full_name: str | None = "Test User",
        is_active: bool = True,
        is_admin: bool = False,
    ) -> User:
        return User(
            email=email or f"user{next(_serial)}@example.com",
            full_name=full_name,
            hashed_password=_hashed(password),
            is_active=is_active,
            is_admin=is_admin,
        )

    async def create(
        self,
        *,
        email: str | None = None,
        password: str = PASSWORD,
        full_name: str | None = "Test User",
        is_active: bool = True,
        is_admin: bool = False,
    ) -> User:
        user = self.build(
            email=email,
            password=password,
            full_name=full_name,
            is_active=is_active,
            is_admin=is_admin,
        )
        self.session.add(user)
        await self.session.flush()  # assigns id and created_at
        return user


def token_for(user: User, secret: SecretStr, ttl: timedelta = timedelta(minutes=5)) -> str:
    return create_access_token(str(user.id), secret, ttl, user.token_version)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
