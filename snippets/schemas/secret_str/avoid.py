"""A secret held as a plain `str`, and a `SecretStr` read with `str()`."""

from datetime import UTC, datetime, timedelta

import jwt
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", extra="ignore")

    database_url: str
    jwt_secret: str  # printed wherever the settings are  # expect: RB407


def create_access_token(subject: str, secret: SecretStr) -> str:
    claims = {"sub": subject, "exp": datetime.now(UTC) + timedelta(minutes=30)}
    return jwt.encode(claims, str(secret), algorithm="HS256")  # str() gives the mask
