"""Test settings by patching the app's internals."""

import pytest

from app.core import config
from app.core.config import Settings


@pytest.fixture
def patched_get_settings(monkeypatch: pytest.MonkeyPatch, test_settings: Settings) -> Settings:
    # Replaces the module attribute; every `Depends(get_settings)` still holds the original.
    monkeypatch.setattr(config, "get_settings", lambda: test_settings)
    return test_settings


@pytest.fixture
def patched_environment(monkeypatch: pytest.MonkeyPatch, test_settings: Settings) -> Settings:
    # The settings are cached: clear the cache so the new environment is read...
    monkeypatch.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", str(test_settings.access_token_ttl_minutes))
    config.get_settings.cache_clear()
    return config.get_settings()  # ...and the cached test settings outlive the test
