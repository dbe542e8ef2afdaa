"""Access tokens: short-lived, bound to one issuer and one audience, and decoded with every
check on: the algorithm pinned, and `exp`, `iat`, `iss`, `aud` and `sub` required."""

from datetime import UTC, datetime, timedelta

import jwt

from app.core.config import Settings

ALGORITHM = "HS256"  # the one algorithm this service signs with, and the only one it accepts
ISSUER = "https://auth.example.com"
AUDIENCE = "users-api"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


def create_access_token(user_id: int, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_ttl_minutes),
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def read_user_id(token: str, settings: Settings) -> int:
    """The user id of a valid access token; raises `jwt.InvalidTokenError` for any other."""
    claims = jwt.decode(
        token,
        settings.jwt_secret.get_secret_value(),
        algorithms=[ALGORITHM],  # never read from the token's own header
        audience=AUDIENCE,
        issuer=ISSUER,
        options={"require": REQUIRED_CLAIMS},  # a token without `exp` is refused, not eternal
    )
    return int(claims["sub"])
