"""Contract of POST /auth/token: the OAuth2 password flow, as a client sees it."""

from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import status
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import JWT_ALGORITHM
from app.models import User
from tests.app.factories import PASSWORD, UserFactory, bearer

BAD_LOGIN = {"detail": "Incorrect email or password"}


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": password})


async def test_login_issues_a_bearer_token_for_the_user(
    client: httpx.AsyncClient, user: User, jwt_secret: SecretStr
) -> None:
    response = await login(client, "ada@example.com", PASSWORD)

    assert response.status_code == status.HTTP_200_OK
    body = response.json()
    assert body.keys() == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60  # access_token_ttl_minutes defaults to 30
    claims = jwt.decode(
        body["access_token"], jwt_secret.get_secret_value(), algorithms=[JWT_ALGORITHM]
    )
    assert claims["sub"] == str(user.id)
    assert timedelta(seconds=claims["exp"] - claims["iat"]) == timedelta(minutes=30)
    me = await client.get("/users/me", headers=bearer(body["access_token"]))
    assert me.status_code == status.HTTP_200_OK
    assert me.json()["email"] == "ada@example.com"


async def test_login_ignores_the_case_of_the_email(client: httpx.AsyncClient, user: User) -> None:
    response = await login(client, "ADA@Example.COM", PASSWORD)

    assert response.status_code == status.HTTP_200_OK


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.com", "wrong password, long enough"),  # wrong password
        ("nobody@example.com", PASSWORD),  # unknown email
    ],
)
async def test_bad_credentials_get_one_and_the_same_401(
    client: httpx.AsyncClient, user: User, email: str, password: str
) -> None:
    response = await login(client, email, password)

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == BAD_LOGIN  # nothing tells which of the two was wrong


async def test_inactive_user_cannot_log_in(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(email="gone@example.com", is_active=False)

    response = await login(client, "gone@example.com", PASSWORD)

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.json() == BAD_LOGIN


async def test_login_form_fields_are_required(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/token", data={"username": "ada@example.com"})

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "password"]]


@pytest.mark.argon2_cost
async def test_login_rehashes_an_outdated_password_hash(
    client: httpx.AsyncClient, users: UserFactory, db_session: AsyncSession
) -> None:
    user = await users.create(email="old@example.com")
    weak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),))
    user.hashed_password = weak.hash(PASSWORD)
    await db_session.flush()

    response = await login(client, "old@example.com", PASSWORD)

    assert response.status_code == status.HTTP_200_OK
    stored = await db_session.scalar(
        select(User.hashed_password).where(User.email == "old@example.com")
    )
    assert stored is not None
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # today's parameters
