"""A missing setting stops the app with the environment variable to set, not only the field."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lint import ROOT

FASTAPI = Path(sys.executable).parent / "fastapi"


def without_app_settings() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("APP_")}
    return env | {"COLUMNS": "200", "NO_COLOR": "1"}  # rich wraps at the terminal's width


@pytest.mark.slow
def test_fastapi_run_without_the_database_url_names_the_variable(tmp_path: Path) -> None:
    # From an empty directory: no `.env` may supply what the environment lacks.
    env = without_app_settings() | {"APP_JWT_SECRET": "a-secret-that-must-not-be-echoed"}
    result = subprocess.run(
        [str(FASTAPI), "run", str(ROOT / "src" / "app" / "main.py"), "--port", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "APP_DATABASE_URL: Field required" in output
    assert "Every setting is listed, with what it means, in .env.example." in output
    assert "APP_JWT_SECRET" not in output  # it is set: only what is wrong is listed
    assert "a-secret-that-must-not-be-echoed" not in output


def test_an_invalid_value_is_named_by_its_variable_without_the_value() -> None:
    from pydantic import ValidationError

    from app.core.config import Settings, settings_problems

    with pytest.raises(ValidationError) as caught:
        Settings(database_url="postgresql+asyncpg://x/y", jwt_secret="s", max_body_size="lots")

    assert settings_problems(caught.value).splitlines()[1] == (
        "  APP_MAX_BODY_SIZE: Input should be a valid integer, unable to parse string as an integer"
    )
    assert "lots" not in settings_problems(caught.value)


def test_get_settings_raises_the_named_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.config import SettingsError, get_settings

    monkeypatch.chdir(tmp_path)  # no `.env` here
    monkeypatch.delenv("APP_DATABASE_URL")
    with pytest.raises(SettingsError) as caught:
        get_settings.__wrapped__()  # past the cache, which keeps the run's settings

    assert str(caught.value).splitlines()[1:] == [
        "  APP_DATABASE_URL: Field required",
        "Every setting is listed, with what it means, in .env.example.",
    ]


def test_an_empty_value_is_missing_not_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`APP_JWT_SECRET=`, as copied from .env.example, is a missing secret, not an empty key to
    sign tokens with; an empty `APP_ACCESS_TOKEN_TTL_MINUTES=` takes the default."""
    from pydantic import ValidationError

    from app.core.config import Settings, settings_problems

    monkeypatch.chdir(tmp_path)  # no `.env` here
    monkeypatch.setenv("APP_JWT_SECRET", "")
    monkeypatch.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", "")
    with pytest.raises(ValidationError) as caught:
        Settings()
    monkeypatch.setenv("APP_JWT_SECRET", "a-secret")

    problems = settings_problems(caught.value).splitlines()[1:-1]
    assert problems == ["  APP_JWT_SECRET: Field required"]
    assert Settings().access_token_ttl_minutes == 30
