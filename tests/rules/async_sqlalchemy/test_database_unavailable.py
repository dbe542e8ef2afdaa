"""Proofs for async-sqlalchemy/database-unavailable: with the database unreachable, a session
dependency that lets the driver's OSError go up gives every client a bare 500; the reference
app's `get_db` turns it into DatabaseUnavailable, answered 503 with `Retry-After` and a fixed
body. Both apps serve again once the server is back, without a restart.

Each test starts an embedded PostgreSQL of its own and binds the app's session factory to it
(tests/outage.py), then stops that server while the app serves and starts it again."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI, status
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.security import create_access_token
from app.db.session import get_db
from app.models import User
from snippets.async_sqlalchemy.database_unavailable import avoid
from tests.app.factories import bearer
from tests.database import EmbeddedServer
from tests.evidence import Evidence
from tests.outage import stopped
from tests.rules.async_sqlalchemy.asgi import Recorder, client_of

pytestmark = pytest.mark.slow  # each test starts a PostgreSQL server of its own
UNAVAILABLE = {"detail": "Service temporarily unavailable"}
SIGN_UP = {"email": "grace@example.com", "password": "long enough passphrase"}


async def signed_in(own: AsyncEngine) -> dict[str, str]:
    """A user stored on the test's own server, and the `Authorization` header of a token."""
    from app.core.config import get_settings

    async with own.begin() as connection:
        user_id = await connection.scalar(
            insert(User).values(email="ada@example.com", hashed_password="x").returning(User.id)
        )
    token = create_access_token(str(user_id), get_settings().jwt_secret, timedelta(minutes=5))
    return bearer(token)


async def outage(
    app: FastAPI, server: EmbeddedServer, headers: dict[str, str]
) -> tuple[Recorder, list[httpx.Response], httpx.Response]:
    """Serve `app` before, during and after the server is stopped: what the client got while
    it was down (`GET /users/me`, a sign-up), and `GET /users/me` once it was back."""
    recorder = Recorder(app)
    async with client_of(recorder) as client:
        before = await client.get("/users/me", headers=headers)
        assert before.status_code == status.HTTP_200_OK
        with stopped(server):
            down = [
                await client.get("/users/me", headers=headers),
                await client.post("/users", json=SIGN_UP),
            ]
        after = await client.get("/users/me", headers=headers)
    return recorder, down, after


async def test_without_a_handler_the_outage_is_a_bare_500(
    own_server: EmbeddedServer, app_on_own_server: AsyncEngine, evidence: Evidence
) -> None:
    """The reference app with the Avoid's `get_db` in place of its own
    (`dependency_overrides`): while the server is down both requests get `500`, `text/plain`,
    `Internal Server Error`, no `Retry-After`; behind each, recorded at the app's edge, an
    `OSError` saying `No such file or directory`, the driver's own error, not a SQLAlchemy
    one. Once the server is back the next request gets `200`."""
    from app.main import create_app

    app = create_app()
    app.dependency_overrides[get_db] = avoid.get_db
    recorder, down, after = await outage(app, own_server, await signed_in(app_on_own_server))

    for response in down:
        assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.text == "Internal Server Error"  # no hint to retry, nor when
        assert "Retry-After" not in response.headers
    evidence.add(down[0], "GET /users/me while the server is down, served with the Avoid's get_db")
    evidence.add(down[1], "A sign-up while the server is down")
    # The driver's own error, unwrapped by SQLAlchemy, reached the server's last resort.
    assert len(recorder.errors) == 2
    for error in recorder.errors:
        assert isinstance(error, OSError), repr(error)
        assert "No such file or directory" in str(error)  # the server's socket is gone
    evidence.add(
        "\n".join(
            f"[{number}] {type(error).__qualname__} (an OSError): {error}"
            for number, error in enumerate(recorder.errors, start=1)
        ).replace(str(own_server.pgdata), "<data directory>"),
        "The exceptions behind the two 500 answers, at the app's edge",
    )
    assert after.status_code == status.HTTP_200_OK  # pool_pre_ping replaced the dead connection


async def test_the_outage_is_503_with_retry_after_and_passes(
    own_server: EmbeddedServer, app_on_own_server: AsyncEngine
) -> None:
    """The reference app as it is: while the server is down both requests get `503`,
    `Retry-After: 5` and `{"detail": "Service temporarily unavailable"}`, none containing
    `Errno`, `No such file`, the data directory, `asyncpg` or `Traceback`, and nothing reaches
    the server unhandled. Once the server is back the same app, same pool, answers `200` with
    the user."""
    from app.main import create_app

    recorder, down, after = await outage(
        create_app(), own_server, await signed_in(app_on_own_server)
    )

    for response in down:
        assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
        assert response.headers["Retry-After"] == "5"
        assert response.json() == UNAVAILABLE
        for leak in ("Errno", "No such file", str(own_server.pgdata), "asyncpg", "Traceback"):
            assert leak not in response.text
    assert recorder.errors == []  # handled: nothing reached the server's last resort
    assert after.status_code == status.HTTP_200_OK  # the same app, the same pool: no restart
    assert after.json()["email"] == "ada@example.com"
