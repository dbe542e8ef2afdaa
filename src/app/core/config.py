"""Application settings, read once from the environment (prefix ``APP_``) and ``.env``."""

import os
from functools import lru_cache

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


# --8<-- [start:settings]
class Settings(BaseSettings):
    # Each field from APP_<NAME> in the environment, else from `.env`; anything else is ignored,
    # and so is an empty value: `APP_JWT_SECRET=` copied from .env.example is missing, not "".
    model_config = SettingsConfigDict(
        env_file=".env", env_prefix="APP_", extra="ignore", env_ignore_empty=True
    )

    database_url: str  # no default: the app refuses to start without it
    jwt_secret: SecretStr  # masked in repr, str, logs and JSON; read with .get_secret_value()
    access_token_ttl_minutes: int = 30
    # The `Host` names the app answers; any other gets 400 (JSON list: '["api.example.com"]').
    allowed_hosts: list[str] = ["localhost", "127.0.0.1"]
    max_body_size: int = 1024 * 1024  # bytes; keep the proxy's limit equal
    login_rate_limit: str = "5/minute"  # per client address, `limits` notation
    # Argon2 at once, and how many more may wait; beyond that, 503 at once. One thread fewer
    # than the cores: the event loop keeps a core for every other request.
    hashing_threads: int = Field(
        default_factory=lambda: max(1, (os.process_cpu_count() or 1) - 1), ge=1
    )
    hashing_queue: int = Field(default=32, ge=0)
    # /docs, /redoc and /openapi.json: off in production, on where a developer turns them on.
    api_docs: bool = False


class SettingsError(RuntimeError):
    """A setting is missing or invalid; the message names its environment variable."""


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()  # once per process; inject it with `SettingsDep`, override it in tests
    except ValidationError as error:
        raise SettingsError(settings_problems(error)) from None


def settings_problems(error: ValidationError) -> str:
    """Each problem under the variable to set (APP_DATABASE_URL, not `database_url`), never
    the value it had: that may be a secret."""
    prefix = Settings.model_config.get("env_prefix", "")
    lines = [
        f"  {prefix}{str(problem['loc'][0]).upper()}: {problem['msg']}"
        for problem in error.errors()
    ]
    head = "Settings are missing or invalid (set them in the environment or in .env):"
    tail = "Every setting is listed, with what it means, in .env.example."
    return "\n".join([head, *lines, tail])


# --8<-- [end:settings]
