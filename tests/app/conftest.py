"""Shared fixtures of the reference app's contract tests (defined in tests/app/fixtures.py)."""

from tests.app.fixtures import admin, admin_headers, jwt_secret, user, user_headers, users
from tests.outage import app_on_own_server, own_server

__all__ = [
    "admin",
    "admin_headers",
    "app_on_own_server",
    "jwt_secret",
    "own_server",
    "user",
    "user_headers",
    "users",
]
