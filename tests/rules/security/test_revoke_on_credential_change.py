"""Proofs for security/revoke-on-credential-change: a token checked only for its signature and
expiry still answers 200 after the password it was issued under has changed; the reference app
raises `users.token_version` on every change of password or e-mail, its tokens carry it as
`ver`, and an older token is refused. A change of credentials needs the current password."""

import re
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
from tests.evidence import Evidence, describe_response

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


def stable(response: httpx.Response, user: User) -> str:
    """The response as evidence: the user's id, creation time and the length they set left
    out, as they change from run to run."""
    text = describe_response(response)
    text = text.replace(f'"id": {user.id},', '"id": <id>,')
    text = text.replace(f'"created_at": "{response.json()["created_at"]}"', '"created_at": <time>')
    return re.sub(r"(?m)^content-length: \d+$", "content-length: <length>", text)


async def test_token_from_before_a_password_change_still_answers(
    asgi_app: FastAPI, client: httpx.AsyncClient, user: User, evidence: Evidence
) -> None:
    """Swaps in the Avoid's `get_current_user` (`dependency_overrides`). A token is issued, the
    password is changed through `PATCH /users/me` with the current password (`200`), and the old
    token still gets `200` from `GET /users/me` with Ada's account: the change did not lock it
    out."""
    asgi_app.dependency_overrides[get_current_user] = avoid.get_current_user
    stolen = await log_in(client, "ada@example.com", PASSWORD)

    changed = await change_password(client, stolen)  # the owner locks the thief out, or means to
    after = await client.get("/users/me", headers=stolen)

    assert changed.status_code == status.HTTP_200_OK
    assert after.status_code == status.HTTP_200_OK  # the token outlived the password
    assert after.json()["email"] == "ada@example.com"
    evidence.add(stable(changed, user), "PATCH /users/me: the owner changes the password")
    evidence.add(
        stable(after, user),
        "GET /users/me with the token issued before the change, served by the Avoid",
    )


async def test_change_of_password_or_email_revokes_older_tokens(
    client: httpx.AsyncClient, db_session: AsyncSession, user: User
) -> None:
    """With the app's own dependency: after the password change, the first token gets `401`,
    `WWW-Authenticate: Bearer`, `{"detail": "Could not validate credentials"}`. A token from
    logging in with the new password works; after it is used to change the e-mail (with the
    current password) it gets the same `401`, and a token for the new address works.
    `users.token_version` in PostgreSQL is `2`."""
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
    """Changing `full_name`, and "changing" the e-mail to the one stored, answer `200`; the
    token still works and `token_version` stays `0`."""
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
    """A new password or e-mail without `current_password` is `422` with the message `Value
    error, current_password is needed to change password or email, and only then` at
    `["body"]`; with a wrong one, `403` `{"detail": "Current password is incorrect"}`. The token
    still works, `token_version` is `0`, and the old password still logs in."""
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
    """Why the Avoid survives review: it refuses a token signed with another key and a token for
    a user id that does not exist, each `401` `{"detail": "Could not validate credentials"}`.
    Only a test that changes the password and then uses the older token shows the hole."""
    asgi_app.dependency_overrides[get_current_user] = avoid.get_current_user
    other_key = secrets.token_urlsafe(32)
    forged = create_access_token(str(user.id), SecretStr(other_key), timedelta(minutes=5))
    unknown = create_access_token("999999", get_settings().jwt_secret, timedelta(minutes=5))

    responses = [await client.get("/users/me", headers=bearer(t)) for t in (forged, unknown)]

    for response in responses:
        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert response.json() == NOT_AUTHENTICATED
