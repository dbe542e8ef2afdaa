"""Application settings, read once from the environment (prefix ``APP_``) and ``.env``."""

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


# --8<-- [start:settings]
class Settings(BaseSettings):
    # Each field from APP_<NAME> in the environment, else from `.env`; anything else is ignored.
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_", extra="ignore")

    database_url: str  # no default: the app refuses to start without it
    jwt_secret: SecretStr  # masked in repr, str, logs and JSON; read with .get_secret_value()
    access_token_ttl_minutes: int = 30


@lru_cache
def get_settings() -> Settings:
    return Settings()  # once per process; inject it with `SettingsDep`, override it in tests


# --8<-- [end:settings]
