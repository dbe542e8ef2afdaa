"""Proofs for lifecycle/settings: one pydantic-settings class reads APP_* variables and `.env`,
ignores everything else, refuses to start without a required setting, masks the secret and is
built once; configuration read from `os.environ` at import fails at import and cannot be
overridden; no `.env` is committed and the app reads no environment variable directly."""

import ast
import importlib
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from app.core.config import Settings, get_settings
from snippets.lifecycle.settings import avoid, do
from tests.evidence import Evidence

ROOT = Path(__file__).resolve().parents[3]
AVOID = "snippets.lifecycle.settings.avoid"
SECRET = "s3cr3t-signing-key-0123456789abcdef"
URL = "postgresql+asyncpg://app:app@db.internal:5432/app"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """No APP_* variable set, and a working directory with no `.env` (all restored after)."""
    for name in list(os.environ):
        if name.upper().startswith("APP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield monkeypatch


def test_reads_prefixed_variables_only(clean_env: pytest.MonkeyPatch) -> None:
    """With `APP_DATABASE_URL`, `APP_JWT_SECRET` and `APP_ACCESS_TOKEN_TTL_MINUTES=15` set, plus
    an unprefixed `DATABASE_URL` and an unknown `APP_DEBUG`, `Settings()` holds the prefixed
    values, the TTL as the integer `15`; with `APP_ACCESS_TOKEN_TTL_MINUTES=soon` it raises a
    `ValidationError` at `access_token_ttl_minutes`."""
    clean_env.setenv("APP_DATABASE_URL", URL)
    clean_env.setenv("APP_JWT_SECRET", SECRET)
    clean_env.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", "15")
    clean_env.setenv("DATABASE_URL", "postgresql://someone-else/db")  # no prefix: not ours
    clean_env.setenv("APP_DEBUG", "1")  # prefixed but no such field: ignored

    settings = Settings()

    assert settings.database_url == URL
    assert settings.access_token_ttl_minutes == 15  # converted and validated as an int
    assert settings.jwt_secret.get_secret_value() == SECRET
    clean_env.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", "soon")
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert [e["loc"] for e in raised.value.errors()] == [("access_token_ttl_minutes",)]


def test_reads_dotenv_with_the_environment_first(clean_env: pytest.MonkeyPatch) -> None:
    """With only `APP_ACCESS_TOKEN_TTL_MINUTES=10` set and a `.env` holding the URL, the secret,
    a TTL of 45 and a `POSTGRES_PASSWORD`, `Settings()` takes the URL and secret from `.env`,
    the TTL 10 from the environment, and ignores `POSTGRES_PASSWORD`; with pydantic-settings'
    default `extra="forbid"` the same class raises `extra_forbidden` at `postgres_password`."""
    Path(".env").write_text(
        f"APP_DATABASE_URL={URL}\n"
        f"APP_JWT_SECRET={SECRET}\n"
        "APP_ACCESS_TOKEN_TTL_MINUTES=45\n"
        "POSTGRES_PASSWORD=for-docker-compose\n",  # someone else's key in the same file
        encoding="utf-8",
    )
    clean_env.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", "10")

    settings = Settings()
    assert settings.database_url == URL
    assert settings.jwt_secret.get_secret_value() == SECRET
    assert settings.access_token_ttl_minutes == 10  # the real environment beats `.env`

    # pydantic-settings' own default is extra="forbid": the other key would stop the app.
    class StrictSettings(Settings):
        model_config = SettingsConfigDict(extra="forbid")

    with pytest.raises(ValidationError) as raised:
        StrictSettings()
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [
        (("postgres_password",), "extra_forbidden")
    ]


@pytest.mark.slow
def test_missing_setting_stops_the_app_at_startup(tmp_path: Path) -> None:
    """`python -m uvicorn app.main:app` with no `APP_*` variable and no `.env` exits with code 1
    before `Uvicorn running on`, the traceback ending in `app.core.config.SettingsError:
    Settings are missing or invalid (set them in the environment or in .env):`, then
    `APP_DATABASE_URL: Field required`, `APP_JWT_SECRET: Field required` and `Every setting is
    listed, with what it means, in .env.example.`"""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("APP_")}
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"],
        cwd=tmp_path,  # no `.env` here either
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "Uvicorn running on" not in result.stderr
    assert result.stderr.endswith(
        "app.core.config.SettingsError: Settings are missing or invalid "
        "(set them in the environment or in .env):\n"
        "  APP_DATABASE_URL: Field required\n"
        "  APP_JWT_SECRET: Field required\n"
        "Every setting is listed, with what it means, in .env.example.\n"
    )


def test_secret_is_masked_everywhere_but_where_it_is_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The secret is not in `repr(settings)` (`jwt_secret=SecretStr('**********')`),
    `str(settings)`, `settings.model_dump_json()` (`"jwt_secret":"**********"`) or the log lines
    `starting with %r` and `settings: %s` with `model_dump()`; `.get_secret_value()` returns
    it."""
    settings = Settings(database_url=URL, jwt_secret=SecretStr(SECRET))
    logger = logging.getLogger("app.startup")
    with caplog.at_level(logging.INFO, logger="app.startup"):
        logger.info("starting with %r", settings)
        logger.info("settings: %s", settings.model_dump())

    shown = [repr(settings), str(settings), settings.model_dump_json(), caplog.text]
    assert all(SECRET not in text for text in shown)
    assert "jwt_secret=SecretStr('**********')" in repr(settings)
    assert '"jwt_secret":"**********"' in settings.model_dump_json()
    assert settings.jwt_secret.get_secret_value() == SECRET


def test_settings_are_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`get_settings()` returns the same object after `APP_ACCESS_TOKEN_TTL_MINUTES` changes,
    while a new `Settings()` reads the new value; the cache holds one entry."""
    first = get_settings()
    monkeypatch.setenv("APP_ACCESS_TOKEN_TTL_MINUTES", str(first.access_token_ttl_minutes + 1))

    assert get_settings() is first  # cached: the environment is not read again
    assert Settings().access_token_ttl_minutes == first.access_token_ttl_minutes + 1
    assert get_settings.cache_info().currsize == 1


def serve(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def overridden() -> AsyncIterator[FastAPI]:
    """An app with both routers mounted and `get_settings` overridden, as a test would."""
    app = FastAPI()
    app.include_router(do.router, prefix="/do")
    app.include_router(avoid.router, prefix="/avoid")
    app.dependency_overrides[get_settings] = lambda: Settings(
        database_url=URL, jwt_secret=SecretStr(SECRET), access_token_ttl_minutes=5
    )
    yield app


async def test_injected_settings_follow_the_override(overridden: FastAPI) -> None:
    """The Do's `/token-policy`, with `get_settings` overridden with a TTL of 5, answers
    `{"ttl_minutes": 5}`."""
    async with serve(overridden) as http:
        response = await http.get("/do/token-policy")
    assert response.json() == {"ttl_minutes": 5}


async def test_module_constant_ignores_the_override(
    overridden: FastAPI, evidence: Evidence
) -> None:
    """The Avoid's `/token-policy` on the same app answers `{"ttl_minutes": 30}`, the value it
    read at import; its `JWT_SECRET` is `change-me-in-production` whatever `APP_JWT_SECRET`
    says."""
    async with serve(overridden) as http:
        response = await http.get("/avoid/token-policy")
    assert response.json() == {"ttl_minutes": 30}  # the value read at import, override or not
    evidence.add(response, "GET /avoid/token-policy, get_settings overridden with a TTL of 5")
    assert avoid.JWT_SECRET == "change-me-in-production"  # whatever APP_JWT_SECRET says
    evidence.add(
        f"avoid.JWT_SECRET == {avoid.JWT_SECRET!r}, "
        f"equal to APP_JWT_SECRET: {os.environ['APP_JWT_SECRET'] == avoid.JWT_SECRET}",
        "The Avoid's secret, with APP_JWT_SECRET set",
    )
    assert os.environ["APP_JWT_SECRET"] != avoid.JWT_SECRET


def test_environ_read_fails_at_import(monkeypatch: pytest.MonkeyPatch, evidence: Evidence) -> None:
    """With `APP_DATABASE_URL` removed, importing the Avoid afresh raises `KeyError:
    'APP_DATABASE_URL'`, before any request, test fixture or override could help."""
    monkeypatch.delenv("APP_DATABASE_URL")
    monkeypatch.delitem(sys.modules, AVOID)  # import it afresh; restored after the test
    with pytest.raises(KeyError) as raised:
        importlib.import_module(AVOID)
    evidence.add(raised.value, f"import {AVOID}, APP_DATABASE_URL unset")
    assert raised.value.args == ("APP_DATABASE_URL",)


def test_no_dotenv_in_git_and_no_environ_in_the_app() -> None:
    """`git ls-files` lists no `.env` (nor any `.env.*` other than a `.example`, `.sample` or
    `.template`), `git check-ignore .env` confirms `.gitignore` covers it, and no module under
    `src/app` uses `os.environ` or `os.getenv`."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    examples = (".example", ".sample", ".template")  # a template without values is fine
    env_files = [f for f in tracked if Path(f).name == ".env" or Path(f).name.startswith(".env.")]
    assert [f for f in env_files if not f.endswith(examples)] == []
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0  # .gitignore keeps a local `.env` out of commits

    # The app reads its configuration through Settings only: no os.environ, no os.getenv.
    for file in sorted((ROOT / "src/app").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {("os", "environ"), ("os", "getenv")}, file
            if isinstance(node, ast.ImportFrom) and node.module == "os":
                assert {a.name for a in node.names}.isdisjoint({"environ", "getenv"}), file
