"""Application settings, read once from the environment (prefix ``APP_``) and ``.env``."""

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


# --8<-- [start:settings]
class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_", extra="ignore")

    database_url: str
    jwt_secret: SecretStr
    access_token_ttl_minutes: int = 30


@lru_cache
def get_settings() -> Settings:
    return Settings()


# --8<-- [end:settings]
