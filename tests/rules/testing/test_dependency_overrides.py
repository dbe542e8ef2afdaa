"""Proofs for testing/dependency-overrides: `app.dependency_overrides[get_settings]` reaches the
endpoints of that app only, and is undone by clearing it; patching `get_settings` changes
nothing the endpoints see, and patching the environment leaves the test's settings cached for
every later test."""

import os

import httpx
import pytest
from fastapi import FastAPI

from app.core import config
from app.core.config import Settings
from app.main import create_app
from snippets.testing.dependency_overrides import avoid, do, policy

# The snippets' fixtures, registered for this module.
test_settings = do.test_settings
app_with_test_settings = do.app_with_test_settings
patched_get_settings = avoid.patched_get_settings
patched_environment = avoid.patched_environment


@pytest.fixture
def policy_app(asgi_app: FastAPI) -> FastAPI:
    asgi_app.include_router(policy.router)
    return asgi_app


@pytest.fixture
def real_ttl() -> int:
    """The settings' value before any patch (request it first)."""
    ttl = config.get_settings().access_token_ttl_minutes
    assert ttl != 5  # the test settings' value: the tests below tell the two apart
    return ttl


def fresh_app() -> FastAPI:
    """Another app, as another test would build it."""
    app = create_app()
    app.include_router(policy.router)
    return app


async def served_ttl(app: FastAPI) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ttl: int = (await client.get("/token-policy")).json()["access_token_ttl_minutes"]
        return ttl


async def test_override_reaches_this_apps_endpoints_only(
    real_ttl: int, policy_app: FastAPI, app_with_test_settings: FastAPI
) -> None:
    assert app_with_test_settings is policy_app
    assert await served_ttl(policy_app) == 5

    # Other apps, and the settings everyone else reads, are untouched.
    assert await served_ttl(fresh_app()) == real_ttl
    assert config.get_settings().access_token_ttl_minutes == real_ttl

    policy_app.dependency_overrides.clear()
    assert await served_ttl(policy_app) == real_ttl


async def test_patched_get_settings_is_not_what_endpoints_call(
    real_ttl: int, policy_app: FastAPI, patched_get_settings: Settings
) -> None:
    assert config.get_settings() is patched_get_settings  # the patch took...

    # ...and the endpoint, whose Depends holds the original function, never sees it.
    assert await served_ttl(policy_app) == real_ttl


async def test_patched_environment_outlives_the_test(
    real_ttl: int,
    policy_app: FastAPI,
    patched_environment: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    try:
        assert await served_ttl(policy_app) == 5  # during the test: as intended

        monkeypatch.undo()  # what pytest does when the test ends
        assert "APP_ACCESS_TOKEN_TTL_MINUTES" not in os.environ

        # The environment is back; the cached settings are not, for any app built later.
        assert config.get_settings().access_token_ttl_minutes == 5
        assert await served_ttl(fresh_app()) == 5
    finally:
        config.get_settings.cache_clear()  # repair the run for the tests after this one
    assert config.get_settings().access_token_ttl_minutes == real_ttl
