"""Test settings through `app.dependency_overrides`: the seam the app's own `Depends` uses,
on this app instance only, gone with it."""

import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.core.config import Settings, get_settings


@pytest.fixture
def test_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        jwt_secret=SecretStr("a-test-only-secret-of-at-least-32-bytes"),
        access_token_ttl_minutes=5,
    )


@pytest.fixture
def app_with_test_settings(asgi_app: FastAPI, test_settings: Settings) -> FastAPI:
    asgi_app.dependency_overrides[get_settings] = lambda: test_settings
    return asgi_app
