"""Proofs for security/revoke-on-credential-change: a token checked only for its signature and
expiry still answers 200 after the password it was issued under has changed; the reference app
raises `users.token_version` on every change of password or e-mail, its tokens carry it as
`ver`, and an older token is refused. A change of credentials needs the current password."""

import secrets
from datetime import timedelta

import httpx
from fastapi import FastAPI, status
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_current_user
from app.core.config import get_settings
from app.core.security import create_access_token
from app.models import User
from snippets.security.revoke_on_credential_change import avoid
from tests.app.factories import PASSWORD, bearer

NEW_PASSWORD = "a brand new passphrase"
NOT_AUTHENTICATED = {"detail": "Could not validate credentials"}


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    """The `Authorization` header of a token from the app's own token endpoint."""
    response = await client.post("/auth/token", data={"username": email, "password": password})
    assert response.status_code == status.HTTP_200_OK, response.text
    return bearer(response.json()["access_token"])


async def change_password(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": PASSWORD},
        headers=headers,
    )


async def stored_version(db_session: AsyncSession, user: User) -> int:
    version = await db_session.scalar(select(User.token_version).where(User.id == user.id))
    assert version is not None
    return version


async def test_token_from_before_a_password_change_still_answers(
    asgi_app: FastAPI, client: httpx.AsyncClient, user: User
) -> None:
    asgi_app.dependency_overrides[get_current_user] = avoid.get_current_user
    stolen = await log_in(client, "ada@example.com", PASSWORD)

    changed = await change_password(client, stolen)  # the owner locks the thief out, or means to
    after = await client.get("/users/me", headers=stolen)

    assert changed.status_code == status.HTTP_200_OK
    assert after.status_code == status.HTTP_200_OK  # the token outlived the password
    assert after.json()["email"] == "ada@example.com"


async def test_change_of_password_or_email_revokes_older_tokens(
    client: httpx.AsyncClient, db_session: AsyncSession, user: User
) -> None:
    first = await log_in(client, "ada@example.com", PASSWORD)

    changed = await change_password(client, first)
    first_after = await client.get("/users/me", headers=first)
    second = await log_in(client, "ada@example.com", NEW_PASSWORD)
    moved = await client.patch(
        "/users/me",
        json={"email": "countess@example.com", "current_password": NEW_PASSWORD},
        headers=second,
    )
    second_after = await client.get("/users/me", headers=second)
    third = await log_in(client, "countess@example.com", NEW_PASSWORD)
    third_me = await client.get("/users/me", headers=third)

    assert changed.status_code == moved.status_code == status.HTTP_200_OK
    for refused in (first_after, second_after):
        assert refused.status_code == status.HTTP_401_UNAUTHORIZED
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert refused.json() == NOT_AUTHENTICATED
    assert third_me.status_code == status.HTTP_200_OK
    assert third_me.json()["email"] == "countess@example.com"
    assert await stored_version(db_session, user) == 2  # one per change of credentials


async def test_other_changes_keep_the_token(
    client: httpx.AsyncClient, db_session: AsyncSession, user: User, user_headers: dict[str, str]
) -> None:
    renamed = await client.patch(
        "/users/me", json={"full_name": "Augusta Ada King"}, headers=user_headers
    )
    same_email = await client.patch(
        "/users/me",
        json={"email": "ada@example.com", "current_password": PASSWORD},
        headers=user_headers,
    )
    me = await client.get("/users/me", headers=user_headers)

    assert renamed.status_code == same_email.status_code == status.HTTP_200_OK
    assert me.status_code == status.HTTP_200_OK
    assert me.json()["full_name"] == "Augusta Ada King"
    assert await stored_version(db_session, user) == 0


async def test_credential_change_needs_the_current_password(
    client: httpx.AsyncClient, db_session: AsyncSession, user: User, user_headers: dict[str, str]
) -> None:
    without = await client.patch("/users/me", json={"password": NEW_PASSWORD}, headers=user_headers)
    email_without = await client.patch(
        "/users/me", json={"email": "thief@example.com"}, headers=user_headers
    )
    wrong = await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": "a guess, long enough"},
        headers=user_headers,
    )
    me = await client.get("/users/me", headers=user_headers)

    message = "Value error, current_password is needed to change password or email, and only then"
    needs_it = {"detail": [{"type": "value_error", "loc": ["body"], "msg": message}]}
    for refused in (without, email_without):
        assert refused.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
        assert refused.json() == needs_it
    assert wrong.status_code == status.HTTP_403_FORBIDDEN
    assert wrong.json() == {"detail": "Current password is incorrect"}
    assert me.status_code == status.HTTP_200_OK  # nothing changed, the token still counts
    assert me.json()["email"] == "ada@example.com"
    assert await stored_version(db_session, user) == 0
    await log_in(client, "ada@example.com", PASSWORD)  # the password is still the old one


async def test_signature_and_expiry_alone_still_refuse_forged_tokens(
    asgi_app: FastAPI, client: httpx.AsyncClient, user: User
) -> None:
    """Why the Avoid survives review: every token test but the credential change passes."""
    asgi_app.dependency_overrides[get_current_user] = avoid.get_current_user
    other_key = secrets.token_urlsafe(32)
    forged = create_access_token(str(user.id), SecretStr(other_key), timedelta(minutes=5))
    unknown = create_access_token("999999", get_settings().jwt_secret, timedelta(minutes=5))

    responses = [await client.get("/users/me", headers=bearer(t)) for t in (forged, unknown)]

    for response in responses:
        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert response.json() == NOT_AUTHENTICATED
