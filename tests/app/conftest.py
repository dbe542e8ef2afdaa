"""Shared fixtures of the reference app's contract tests (defined in tests/app/fixtures.py)."""

from tests.app.fixtures import admin, admin_headers, jwt_secret, user, user_headers, users

__all__ = ["admin", "admin_headers", "jwt_secret", "user", "user_headers", "users"]
