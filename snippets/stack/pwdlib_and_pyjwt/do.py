"""Access tokens with PyJWT: typed, and strict about the algorithm it accepts."""

from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"


def issue_token(subject: str, secret: str, ttl: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": subject, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_subject(token: str, secret: str) -> str:
    # `algorithms` is required: PyJWT never takes the algorithm from the token's own header.
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
    return str(claims["sub"])
