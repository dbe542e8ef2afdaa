"""Proofs for security/refresh-token-rotation: a JWT refresh token can be replayed for as long
as it lives; a stored refresh token works once, and a replay revokes its whole login."""

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from snippets.security.jwt_validation.do import read_user_id
from snippets.security.refresh_token_rotation import avoid, do
from snippets.security.refresh_token_rotation.models import Base, RefreshToken
from tests.evidence import Evidence

USER_ID = 42


@pytest.fixture
async def session(db_session: AsyncSession) -> AsyncSession:
    """The test's session, with the snippet's table created inside its rolled-back transaction."""
    connection = await db_session.connection()
    await connection.run_sync(Base.metadata.create_all)
    return db_session


async def stored_tokens(session: AsyncSession) -> list[RefreshToken]:
    return list(await session.scalars(select(RefreshToken).order_by(RefreshToken.id)))


def test_jwt_refresh_token_can_be_replayed(settings: Settings, evidence: Evidence) -> None:
    """One Avoid refresh token refreshes three times, each giving a valid access token for user
    42, and still has more than 29 days to live."""
    stolen = avoid.create_refresh_token(USER_ID, settings)

    # The owner refreshes, and so does whoever copied the token, again and again.
    pairs = [avoid.refresh(stolen, settings) for _ in range(3)]

    assert [read_user_id(access, settings) for access, _ in pairs] == [USER_ID] * 3
    claims = jwt.decode(stolen, options={"verify_signature": False})
    lifetime = timedelta(seconds=claims["exp"] - datetime.now(UTC).timestamp())
    assert lifetime > timedelta(days=29)  # ...for a month, with no way to revoke it
    evidence.add(
        "\n".join(
            f"refresh #{number}: access token for user {read_user_id(access, settings)}"
            for number, (access, _) in enumerate(pairs, start=1)
        )
        + f"\nthe refresh token still lives more than 29 days: {lifetime > timedelta(days=29)}",
        "avoid.refresh(stolen), three times with one refresh token",
    )


async def test_refresh_token_is_stored_as_a_digest(
    session: AsyncSession, settings: Settings
) -> None:
    """After `issue_tokens`, the one stored row holds `sha256(token)`, not the token, with
    `used_at` empty and an expiry 14 days out; the access token decodes to user 42."""
    pair = await do.issue_tokens(session, USER_ID, settings)

    assert read_user_id(pair.access_token, settings) == USER_ID
    (row,) = await stored_tokens(session)
    assert row.token_hash == do.digest(pair.refresh_token)
    assert pair.refresh_token not in row.token_hash  # a leaked table hands out no tokens
    assert row.user_id == USER_ID
    assert row.used_at is None
    assert row.expires_at - datetime.now(UTC) > timedelta(days=13)


async def test_used_refresh_token_is_refused_and_revokes_the_login(
    session: AsyncSession, settings: Settings
) -> None:
    """The first token rotates into a second. Presenting the first again raises
    `RefreshTokenRejected: refresh token reused; this login has been revoked`, and then the
    second is refused too. Both rows belong to one family and have `revoked_at` set. A second
    login of the same user, a family of its own, still rotates."""
    first = await do.issue_tokens(session, USER_ID, settings)
    second = await do.rotate(session, first.refresh_token, settings)
    assert read_user_id(second.access_token, settings) == USER_ID
    assert second.refresh_token != first.refresh_token

    # The first token again: the attacker's copy, or the owner's; either way it is refused...
    with pytest.raises(do.RefreshTokenRejected, match="reused; this login has been revoked"):
        await do.rotate(session, first.refresh_token, settings)
    # ...and the token it was rotated into no longer works either.
    with pytest.raises(do.RefreshTokenRejected, match="reused; this login has been revoked"):
        await do.rotate(session, second.refresh_token, settings)

    rows = await stored_tokens(session)
    assert len(rows) == 2
    assert len({row.family for row in rows}) == 1
    assert rows[0].used_at is not None
    assert all(row.revoked_at is not None for row in rows)
    # Another login of the same user is a family of its own, untouched.
    other = await do.issue_tokens(session, USER_ID, settings)
    assert (await do.rotate(session, other.refresh_token, settings)).refresh_token


async def test_unknown_and_expired_refresh_tokens_are_refused(
    session: AsyncSession, settings: Settings
) -> None:
    """A random token, and a stored token whose expiry is moved to yesterday, both raise
    `RefreshTokenRejected: unknown or expired refresh token`."""
    with pytest.raises(do.RefreshTokenRejected, match="unknown or expired"):
        await do.rotate(session, secrets.token_urlsafe(32), settings)

    pair = await do.issue_tokens(session, USER_ID, settings)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    await session.execute(update(RefreshToken).values(expires_at=yesterday))
    with pytest.raises(do.RefreshTokenRejected, match="unknown or expired"):
        await do.rotate(session, pair.refresh_token, settings)


@pytest.mark.commits
async def test_concurrent_uses_of_one_token_rotate_once(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Two sessions on two connections rotate the same token at once (`asyncio.gather`).
    Exactly one gets a new pair, the other gets "reused", and the table holds two rows, not
    three."""
    # Real commits, two connections: the table goes into this test's private schema.
    async with session_factory() as setup:
        await (await setup.connection()).run_sync(Base.metadata.create_all)
        pair = await do.issue_tokens(setup, USER_ID, settings)

    async def use(token: str) -> do.TokenPair | do.RefreshTokenRejected:
        async with session_factory() as request_session:
            try:
                return await do.rotate(request_session, token, settings)
            except do.RefreshTokenRejected as rejected:
                return rejected

    results = await asyncio.gather(use(pair.refresh_token), use(pair.refresh_token))

    winners = [r for r in results if isinstance(r, do.TokenPair)]
    losers = [r for r in results if isinstance(r, do.RefreshTokenRejected)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert "reused" in str(losers[0])
    async with session_factory() as check:
        rows = await stored_tokens(check)
    assert len(rows) == 2  # one rotation happened, not two
