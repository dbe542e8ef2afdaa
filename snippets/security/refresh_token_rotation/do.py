"""Short-lived access tokens, and refresh tokens that are stored, used once, and rotated."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from snippets.security.jwt_validation.do import create_access_token
from snippets.security.refresh_token_rotation.models import RefreshToken

REFRESH_TOKEN_TTL = timedelta(days=14)


class RefreshTokenRejected(Exception):
    """Unknown, expired, already used or revoked: the client must log in again."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str  # a JWT valid for `access_token_ttl_minutes`
    refresh_token: str  # opaque and random; only its digest is stored


def digest(token: str) -> str:
    # The token is 256 random bits, so no dictionary can reverse a plain SHA-256 of it.
    return hashlib.sha256(token.encode()).hexdigest()


def add_refresh_token(session: AsyncSession, user_id: int, family: uuid.UUID) -> str:
    token = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + REFRESH_TOKEN_TTL
    session.add(
        RefreshToken(
            token_hash=digest(token), family=family, user_id=user_id, expires_at=expires_at
        )
    )
    return token


async def issue_tokens(session: AsyncSession, user_id: int, settings: Settings) -> TokenPair:
    """At login, once the password has been checked: a new family of refresh tokens."""
    refresh_token = add_refresh_token(session, user_id, family=uuid.uuid4())
    await session.commit()
    return TokenPair(create_access_token(user_id, settings), refresh_token)


async def rotate(session: AsyncSession, refresh_token: str, settings: Settings) -> TokenPair:
    """Trade a refresh token for a new pair; the one given can never be used again."""
    now = datetime.now(UTC)
    # FOR UPDATE: a second request with the same token waits here, then sees it used.
    stored = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == digest(refresh_token))
        .with_for_update()
    )
    if stored is None or stored.expires_at <= now:
        raise RefreshTokenRejected("unknown or expired refresh token")
    if stored.used_at is not None or stored.revoked_at is not None:
        # Used twice: someone else holds a copy. End every session of this login.
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == stored.family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await session.commit()
        raise RefreshTokenRejected("refresh token reused; this login has been revoked")
    stored.used_at = now
    new_refresh_token = add_refresh_token(session, stored.user_id, stored.family)
    await session.commit()
    return TokenPair(create_access_token(stored.user_id, settings), new_refresh_token)
