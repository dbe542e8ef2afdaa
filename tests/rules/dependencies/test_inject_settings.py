"""Proofs for dependencies/inject-settings: endpoints that take `SettingsDep` follow
`app.dependency_overrides[get_settings]`, with no monkeypatching; a router that reads the
settings into a module global at import keeps the real ones."""

from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI, status
from pydantic import SecretStr

from app.core.config import Settings, get_settings
from app.core.security import JWT_ALGORITHM
from app.models import User
from snippets.dependencies.inject_settings import avoid
from tests.app.factories import PASSWORD, bearer
from tests.app.fixtures import Serve

TEST_SECRET = "a-test-only-secret-of-at-least-32-bytes"
LOGIN = {"username": "ada@example.com", "password": PASSWORD}


@pytest.fixture
def swapped_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        jwt_secret=SecretStr(TEST_SECRET),
        access_token_ttl_minutes=5,
    )


async def test_override_swaps_the_settings_of_every_endpoint(
    asgi_app: FastAPI,
    client: httpx.AsyncClient,
    user: User,
    user_headers: dict[str, str],
    swapped_settings: Settings,
) -> None:
    asgi_app.dependency_overrides[get_settings] = lambda: swapped_settings

    login = await client.post("/auth/token", data=LOGIN)
    token = login.json()["access_token"]
    me_new = await client.get("/users/me", headers=bearer(token))
    me_old = await client.get("/users/me", headers=user_headers)  # signed with the real secret

    # The token endpoint signed with the test secret and the test lifetime...
    claims = jwt.decode(token, TEST_SECRET, algorithms=[JWT_ALGORITHM])
    assert claims["exp"] - claims["iat"] == 5 * 60
    assert login.json()["expires_in"] == 5 * 60
    # ...and get_current_user checked with it: the new token passes, the old one does not.
    assert me_new.status_code == status.HTTP_200_OK
    assert me_old.status_code == status.HTTP_401_UNAUTHORIZED


async def test_settings_are_read_once(swapped_settings: Settings) -> None:
    assert get_settings() is get_settings()  # @lru_cache: the environment is read once
    assert get_settings().jwt_secret.get_secret_value() != TEST_SECRET


async def test_module_global_ignores_the_override(
    serve: Serve, user: User, swapped_settings: Settings, jwt_secret: SecretStr
) -> None:
    async with serve(avoid.router, overrides={get_settings: lambda: swapped_settings}) as client:
        login = await client.post("/auth/token", data=LOGIN)

    token = login.json()["access_token"]
    assert login.json()["expires_in"] == 30 * 60  # the real lifetime, not the test's 5 minutes
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, TEST_SECRET, algorithms=[JWT_ALGORITHM])
    claims = jwt.decode(token, jwt_secret.get_secret_value(), algorithms=[JWT_ALGORITHM])
    assert claims["sub"] == str(user.id)
    assert avoid.settings is get_settings()  # only patching `avoid.settings` would change it
    assert timedelta(seconds=claims["exp"] - claims["iat"]) == timedelta(minutes=30)
