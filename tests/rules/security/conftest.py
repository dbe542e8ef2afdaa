"""Fixtures shared by the security rules' proofs: settings with a random JWT secret, and the
reference app's users and their tokens (defined in tests/app/fixtures.py).

Imports only `app` modules that read nothing at import (`app.core.config` reads the settings
when `get_settings()` is first called), so this conftest may load before the test database
exists.
"""

import secrets

import pytest
from pydantic import SecretStr

from app.core.config import Settings
from tests.app.fixtures import admin, admin_headers, jwt_secret, user, user_headers, users

__all__ = ["admin", "admin_headers", "jwt_secret", "settings", "user", "user_headers", "users"]


@pytest.fixture
def settings() -> Settings:
    """Settings with a random 64-byte JWT secret: long enough for HS512 too, so PyJWT raises no
    key-length warning."""
    return Settings(
        database_url="postgresql+asyncpg://unused/unused",
        jwt_secret=SecretStr(secrets.token_urlsafe(64)),
    )
