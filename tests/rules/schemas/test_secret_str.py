"""Proofs for schemas/secret-str: a SecretStr is masked in repr, str, JSON and logs, and only
`.get_secret_value()` reads it; a plain str shows everywhere; `str()` of a SecretStr is the mask."""

import logging
import secrets
from datetime import timedelta

import jwt
import pytest
from pydantic import BaseModel, SecretStr

from app.core.config import Settings
from app.core.security import JWT_ALGORITHM, create_access_token, decode_access_token
from snippets.schemas.secret_str import avoid
from tests.evidence import Evidence

DATABASE_URL = "postgresql+asyncpg://app@db.internal/app"
MASK = "**********"
logger = logging.getLogger("app.settings")


@pytest.fixture
def secret() -> str:
    return secrets.token_urlsafe(32)


def shown(settings: BaseModel, caplog: pytest.LogCaptureFixture) -> dict[str, str]:
    """Everywhere a value usually ends up in text: repr, str, JSON, and a log record."""
    with caplog.at_level(logging.INFO, logger="app.settings"):
        logger.info("starting with %r", settings)
    return {
        "repr": repr(settings),
        "str": str(settings),
        "json": settings.model_dump_json(),
        "log": caplog.text,
    }


def test_secret_str_is_masked_everywhere(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    """The app's `Settings` with a random 43-character secret: the secret is in none of
    `repr(settings)` (which holds `jwt_secret=SecretStr('**********')`), `str(settings)`,
    `settings.model_dump_json()` (`"jwt_secret":"**********"`) and a log record written with
    `logger.info("starting with %r", settings)`, and the mask is in all four;
    `str(settings.jwt_secret)` is `**********` and `.get_secret_value()` returns the secret."""
    settings = Settings(database_url=DATABASE_URL, jwt_secret=SecretStr(secret))

    places = shown(settings, caplog)

    for where, text in places.items():
        assert secret not in text, where
        assert MASK in text, where
    assert "jwt_secret=SecretStr('**********')" in places["repr"]
    assert '"jwt_secret":"**********"' in places["json"]
    assert str(settings.jwt_secret) == MASK
    assert f"{settings.jwt_secret}" == MASK
    assert settings.jwt_secret.get_secret_value() == secret  # the one way to read it


def test_plain_str_secret_shows_everywhere(
    secret: str, caplog: pytest.LogCaptureFixture, evidence: Evidence
) -> None:
    """The same with the Avoid's `Settings`: the secret is in all four, `repr` showing
    `jwt_secret='<the secret>'`."""
    settings = avoid.Settings(database_url=DATABASE_URL, jwt_secret=secret)

    places = shown(settings, caplog)

    for where, text in places.items():
        assert secret in text, where
    assert f"jwt_secret='{secret}'" in places["repr"]
    labels = {
        "repr": "repr(settings), the Avoid's Settings",
        "str": "str(settings)",
        "json": "settings.model_dump_json()",
        "log": 'logger.info("starting with %r", settings)',
    }
    for where, text in places.items():
        evidence.add(text.replace(secret, "<the secret>"), labels[where])


def test_tokens_are_signed_with_the_secret_value(secret: str) -> None:
    """A token signed with the app's `create_access_token` decodes with the secret itself:
    subject `42`."""
    token = create_access_token("42", SecretStr(secret), timedelta(minutes=5))

    assert jwt.decode(token, secret, algorithms=[JWT_ALGORITHM])["sub"] == "42"
    assert decode_access_token(token, SecretStr(secret)).subject == "42"


def test_str_of_a_secret_signs_with_the_mask(secret: str, evidence: Evidence) -> None:
    """The Avoid's `create_access_token` passes `str(secret)` to PyJWT, which warns that the
    HMAC key is 10 bytes long. The token decodes with the key `**********` and fails with the
    real secret (`InvalidSignatureError: Signature verification failed`): anyone can forge
    it."""
    # PyJWT even warns that the key is short: it is the ten asterisks.
    with pytest.warns(jwt.InsecureKeyLengthWarning, match="HMAC key is 10 bytes long") as record:
        token = avoid.create_access_token("42", SecretStr(secret))
    evidence.add(
        "\n".join(f"{w.category.__name__}: {w.message}" for w in record),
        'create_access_token("42", SecretStr(secret))',
    )

    # Anyone can verify, and forge, this token: its key is the public mask.
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        claims = jwt.decode(token, MASK, algorithms=["HS256"])
    assert claims["sub"] == "42"
    evidence.add(f"sub: {claims['sub']!r}", 'jwt.decode(token, "**********"): the mask verifies it')
    with pytest.raises(
        jwt.InvalidSignatureError, match="Signature verification failed"
    ) as rejected:
        jwt.decode(token, secret, algorithms=["HS256"])
    evidence.add(rejected.value, "jwt.decode(token, secret): the real secret does not")
