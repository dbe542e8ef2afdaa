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
from tests.evidence import Evidence, masked

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
    """`get_settings` overridden on the reference app with `Settings(jwt_secret=<a test
    secret>, access_token_ttl_minutes=5)`: logging in returns `expires_in: 300` and a token
    that decodes with the test secret, with `exp - iat` = 300 seconds. That token opens `GET
    /users/me` (`200`), and a token signed with the real secret no longer does (`401`): the
    token endpoint and `get_current_user` both follow the override. No `monkeypatch`
    anywhere."""
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
    """`get_settings() is get_settings()`, and the real settings do not hold the test secret
    (the override changed nothing global)."""
    assert get_settings() is get_settings()  # @lru_cache: the environment is read once
    assert get_settings().jwt_secret.get_secret_value() != TEST_SECRET


async def test_module_global_ignores_the_override(
    serve: Serve, user: User, swapped_settings: Settings, jwt_secret: SecretStr, evidence: Evidence
) -> None:
    """The Avoid's token endpoint served with the same override: the login returns
    `expires_in: 1800`, the real 30 minutes; decoding the token with the test secret raises
    `InvalidSignatureError`, and it decodes with the real secret. The Avoid's `settings` is the
    object `get_settings()` returned at import."""
    async with serve(avoid.router, overrides={get_settings: lambda: swapped_settings}) as client:
        login = await client.post("/auth/token", data=LOGIN)

    token = login.json()["access_token"]
    assert login.json()["expires_in"] == 30 * 60  # the real lifetime, not the test's 5 minutes
    # The token's length varies with the user's id, and with it the content-length.
    evidence.add(
        masked(login, access_token="<jwt>"),
        "POST /auth/token, served by the Avoid with get_settings overridden",
    )
    with pytest.raises(jwt.InvalidSignatureError) as error:
        jwt.decode(token, TEST_SECRET, algorithms=[JWT_ALGORITHM])
    evidence.add(error.value, "jwt.decode(token, <the test secret>)")
    claims = jwt.decode(token, jwt_secret.get_secret_value(), algorithms=[JWT_ALGORITHM])
    assert claims["sub"] == str(user.id)
    assert avoid.settings is get_settings()  # only patching `avoid.settings` would change it
    assert timedelta(seconds=claims["exp"] - claims["iat"]) == timedelta(minutes=30)
