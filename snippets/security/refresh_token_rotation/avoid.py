"""A refresh token that is a 30-day JWT: a stolen copy works until it expires, unrevokable.

Nothing is stored, so nothing can be rotated, checked for reuse, or revoked."""

from datetime import UTC, datetime, timedelta

import jwt

from app.core.config import Settings
from snippets.security.jwt_validation.do import create_access_token

REFRESH_TOKEN_TTL = timedelta(days=30)


def create_refresh_token(user_id: int, settings: Settings) -> str:
    claims = {"sub": str(user_id), "typ": "refresh", "exp": datetime.now(UTC) + REFRESH_TOKEN_TTL}
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def refresh(refresh_token: str, settings: Settings) -> tuple[str, str]:
    # expect: RB901
    claims = jwt.decode(refresh_token, settings.jwt_secret.get_secret_value(), algorithms=["HS256"])
    user_id = int(claims["sub"])
    # A "new" refresh token, but the old one keeps working until it expires.
    return create_access_token(user_id, settings), create_refresh_token(user_id, settings)
