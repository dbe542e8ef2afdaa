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
from tests.evidence import Evidence

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
    """With `app_with_test_settings`, the endpoint answers `5`. A fresh `create_app()` still
    answers `30`, and so does `get_settings()`. After `dependency_overrides.clear()`, the same
    app answers `30`."""
    assert app_with_test_settings is policy_app
    assert await served_ttl(policy_app) == 5

    # Other apps, and the settings everyone else reads, are untouched.
    assert await served_ttl(fresh_app()) == real_ttl
    assert config.get_settings().access_token_ttl_minutes == real_ttl

    policy_app.dependency_overrides.clear()
    assert await served_ttl(policy_app) == real_ttl


async def test_patched_get_settings_is_not_what_endpoints_call(
    real_ttl: int, policy_app: FastAPI, patched_get_settings: Settings, evidence: Evidence
) -> None:
    """With `patched_get_settings`, `config.get_settings()` returns the test settings, and the
    endpoint still answers `30`."""
    assert config.get_settings() is patched_get_settings  # the patch took...

    # ...and the endpoint, whose Depends holds the original function, never sees it.
    served = await served_ttl(policy_app)
    assert served == real_ttl
    evidence.add(
        f"config.get_settings().access_token_ttl_minutes: "
        f"{config.get_settings().access_token_ttl_minutes}\n"
        f"GET /token-policy answers access_token_ttl_minutes: {served}",
        "With get_settings patched to the test settings (5)",
    )


async def test_patched_environment_outlives_the_test(
    real_ttl: int,
    policy_app: FastAPI,
    patched_environment: Settings,
    monkeypatch: pytest.MonkeyPatch,
    evidence: Evidence,
) -> None:
    """With `patched_environment`, the endpoint answers `5`. After `monkeypatch.undo()` (what
    pytest does when the test ends), `APP_ACCESS_TOKEN_TTL_MINUTES` is gone from the
    environment, yet `get_settings()` still returns `5`, and so does a fresh app. The test then
    clears the cache itself, so the rest of the run gets `30` again."""
    try:
        assert await served_ttl(policy_app) == 5  # during the test: as intended

        monkeypatch.undo()  # what pytest does when the test ends
        assert "APP_ACCESS_TOKEN_TTL_MINUTES" not in os.environ

        # The environment is back; the cached settings are not, for any app built later.
        assert config.get_settings().access_token_ttl_minutes == 5
        fresh = await served_ttl(fresh_app())
        assert fresh == 5
        evidence.add(
            "APP_ACCESS_TOKEN_TTL_MINUTES in os.environ: "
            f"{'APP_ACCESS_TOKEN_TTL_MINUTES' in os.environ}\n"
            "config.get_settings().access_token_ttl_minutes: "
            f"{config.get_settings().access_token_ttl_minutes}\n"
            f"a fresh create_app() answers access_token_ttl_minutes: {fresh}",
            "After monkeypatch.undo(), as when the test that set the environment (5) has ended",
        )
    finally:
        config.get_settings.cache_clear()  # repair the run for the tests after this one
    assert config.get_settings().access_token_ttl_minutes == real_ttl
