"""Proofs for dependencies/current-user: `get_current_user` answers 401 with
`WWW-Authenticate: Bearer` for every token it cannot trust, before the endpoint runs; a version
that returns None lets anonymous requests into the endpoint."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi import status
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import JWT_ALGORITHM, create_access_token
from app.models import User
from snippets.dependencies.current_user import avoid
from tests.app.factories import UserFactory, bearer
from tests.app.fixtures import Serve
from tests.evidence import Evidence

OTHER_SECRET = "another-secret-of-at-least-32-bytes-long"
NOT_AUTHENTICATED = {"detail": "Not authenticated"}
INVALID = {"detail": "Could not validate credentials"}


def signed(claims: dict[str, Any], key: str, algorithm: str = JWT_ALGORITHM) -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def in_minutes(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


# Each builds a token for `user` that the app must refuse, from the app's real secret.
BAD_TOKENS: dict[str, Callable[[User, str], str]] = {
    "malformed": lambda user, secret: "not-a-jwt",
    "expired": lambda user, secret: create_access_token(
        str(user.id), SecretStr(secret), timedelta(minutes=-1)
    ),
    "wrongly-signed": lambda user, secret: signed(
        {"sub": str(user.id), "exp": in_minutes(5)}, OTHER_SECRET
    ),
    "alg-none": lambda user, secret: signed(
        {"sub": str(user.id), "exp": in_minutes(5)}, "", algorithm="none"
    ),
    "no-exp": lambda user, secret: signed({"sub": str(user.id)}, secret),
    "no-sub": lambda user, secret: signed({"exp": in_minutes(5)}, secret),
    "sub-not-an-id": lambda user, secret: signed({"sub": "ada", "exp": in_minutes(5)}, secret),
    "unknown-user": lambda user, secret: create_access_token(
        str(user.id + 1000), SecretStr(secret), timedelta(minutes=5)
    ),
}


async def test_missing_token_is_401_before_the_endpoint(client: httpx.AsyncClient) -> None:
    """`GET /users/me` without a header is `401`, `WWW-Authenticate: Bearer`, `{"detail": "Not
    authenticated"}` (from `OAuth2PasswordBearer`)."""
    response = await client.get("/users/me")

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize("kind", BAD_TOKENS)
async def test_untrusted_token_is_401_with_the_bearer_challenge(
    client: httpx.AsyncClient, user: User, jwt_secret: SecretStr, kind: str
) -> None:
    """Eight tokens for a real user, each wrong in one way: `not-a-jwt`; expired a minute ago;
    signed with another 40-byte key; signed with `alg: none`; without `exp`; without `sub`;
    with the subject `ada` instead of an id; for a user id that does not exist. Each is `401`,
    `WWW-Authenticate: Bearer`, `{"detail": "Could not validate credentials"}`."""
    token = BAD_TOKENS[kind](user, jwt_secret.get_secret_value())

    response = await client.get("/users/me", headers=bearer(token))

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == INVALID


async def test_inactive_user_is_401(
    client: httpx.AsyncClient, users: UserFactory, jwt_secret: SecretStr
) -> None:
    """A valid token for a user with `is_active = false` is `401` with the same header."""
    gone = await users.create(is_active=False)
    token = create_access_token(str(gone.id), jwt_secret, timedelta(minutes=5))

    response = await client.get("/users/me", headers=bearer(token))

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_valid_token_gives_the_user(
    client: httpx.AsyncClient, user: User, user_headers: dict[str, str]
) -> None:
    """A valid token gives `200` and that user's id."""
    response = await client.get("/users/me", headers=user_headers)

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["id"] == user.id


async def test_none_returning_dependency_lets_anonymous_in(
    serve: Serve, user: User, db_session: AsyncSession, evidence: Evidence
) -> None:
    """Served by the Avoid, `GET /users/me` without a token runs the handler and answers `200`
    with the body `null`, and no `WWW-Authenticate` header; a token signed with the wrong key
    is `200` too. `DELETE /users/{id}` without a token is `204`, and the user's row is gone
    from PostgreSQL."""
    async with serve(avoid.router) as client:
        me = await client.get("/users/me")
        forged = await client.get(
            "/users/me", headers=bearer(signed({"sub": str(user.id)}, OTHER_SECRET))
        )
        deleted = await client.delete(f"/users/{user.id}")  # no token at all

    # The handler ran for a request without credentials, and answered 200...
    assert me.status_code == status.HTTP_200_OK
    assert me.json() is None
    assert "WWW-Authenticate" not in me.headers
    assert forged.status_code == status.HTTP_200_OK
    # ...and the admin-only delete let an anonymous caller through: the row is gone.
    assert deleted.status_code == status.HTTP_204_NO_CONTENT
    remaining = await db_session.execute(select(func.count()).where(User.id == user.id))
    left = remaining.scalar_one()
    assert left == 0
    evidence.add(me, "GET /users/me without a token, served by the Avoid")
    evidence.add(forged, "GET /users/me with a token signed with another key")
    evidence.add(
        f"DELETE /users/:id without a token: {deleted.status_code} {deleted.reason_phrase}\n"
        f"rows left with that id in PostgreSQL: {left}",
        "The admin-only delete, anonymous",
    )


async def test_none_returning_dependency_still_serves_a_valid_token(
    serve: Serve, user: User, user_headers: dict[str, str], evidence: Evidence
) -> None:
    """Why the Avoid looks right when tried the usual way: with a valid token, `/me` returns
    the user and a non-admin's delete is `403`."""
    async with serve(avoid.router) as client:
        me = await client.get("/users/me", headers=user_headers)
        denied = await client.delete(f"/users/{user.id}", headers=user_headers)

    assert me.json()["id"] == user.id
    assert denied.status_code == status.HTTP_403_FORBIDDEN
    evidence.add(
        f"GET /users/me with a valid token: {me.status_code} {me.reason_phrase}, "
        f"the token's user ({'same id' if me.json()['id'] == user.id else 'another id'})\n"
        f"DELETE /users/:id as a non-admin: {denied.status_code} {denied.reason_phrase} "
        f"{denied.text}",
        "The Avoid tried the usual way, with a valid token",
    )
