"""Fixtures for this section's proofs (defined in tests/app/fixtures.py)."""

from tests.app.fixtures import admin, admin_headers, jwt_secret, user, user_headers, users

__all__ = ["admin", "admin_headers", "jwt_secret", "user", "user_headers", "users"]
