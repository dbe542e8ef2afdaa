"""Password hashing (pwdlib, Argon2) and access tokens (PyJWT, HS256)."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import jwt
from pwdlib import PasswordHash
from pydantic import SecretStr

# --8<-- [start:password-hash]
password_hash = PasswordHash.recommended()  # Argon2id with pwdlib's current parameters


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return password_hash.verify(password, hashed)


# --8<-- [end:password-hash]


# --8<-- [start:jwt]
# A constant, not a setting: the one algorithm tokens are signed with and accepted in.
JWT_ALGORITHM = "HS256"


class TokenClaims(NamedTuple):
    subject: str
    version: int  # the user's token_version when it was issued


def create_access_token(subject: str, secret: SecretStr, ttl: timedelta, version: int = 0) -> str:
    now = datetime.now(UTC)
    claims = {"sub": subject, "ver": version, "iat": now, "exp": now + ttl}
    # The secret's value is read here, at the one call that needs it, and nowhere else.
    return jwt.encode(claims, secret.get_secret_value(), algorithm=JWT_ALGORITHM)


def decode_access_token(token: str, secret: SecretStr) -> TokenClaims:
    """The token's subject and version. Raises `jwt.InvalidTokenError` if the token is
    malformed, signed with another key or algorithm, expired, or lacks `exp`, `sub` or `ver`."""
    claims = jwt.decode(
        token,
        secret.get_secret_value(),
        algorithms=[JWT_ALGORITHM],  # pinned: never `none`, never the token's own `alg`
        options={"require": ["exp", "sub", "ver"]},
    )
    if not isinstance(claims["ver"], int):
        raise jwt.InvalidTokenError("ver must be an integer")
    return TokenClaims(str(claims["sub"]), claims["ver"])


# --8<-- [end:jwt]
