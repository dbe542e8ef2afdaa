"""Finding 12: with the database unreachable the app answered a bare 500. It must answer 503
with `Retry-After` and a fixed body, and serve again once the server is back, without a restart.

The test starts an embedded PostgreSQL of its own (stopping the suite's shared one would fail
every other test), points the app's own session factory at it, stops it while the app serves,
and starts it again on the same data directory and socket (tests/outage.py)."""

from datetime import timedelta

import httpx
import pytest
from fastapi import status
from pydantic import SecretStr
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.security import create_access_token
from app.models import User
from tests.database import EmbeddedServer
from tests.outage import stopped

UNAVAILABLE = {"detail": "Service temporarily unavailable"}


@pytest.mark.slow
async def test_unreachable_database_is_503_with_retry_after_then_served_again(
    own_server: EmbeddedServer, app_on_own_server: AsyncEngine, jwt_secret: SecretStr
) -> None:
    from app.main import create_app

    async with app_on_own_server.begin() as connection:
        user_id = await connection.scalar(
            insert(User).values(email="ada@example.com", hashed_password="x").returning(User.id)
        )
    token = create_access_token(str(user_id), jwt_secret, timedelta(minutes=5))
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        before = await client.get("/users/me", headers=headers)
        with stopped(own_server):
            down = [
                await client.get("/users/me", headers=headers),
                await client.post(
                    "/users", json={"email": "b@example.com", "password": "long enough pass"}
                ),
                await client.post(
                    "/auth/token", data={"username": "ada@example.com", "password": "guess"}
                ),
            ]
        after = await client.get("/users/me", headers=headers)

    assert before.status_code == status.HTTP_200_OK
    for response in down:
        assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
        assert response.headers["Retry-After"] == "5"
        assert response.json() == UNAVAILABLE
        for leak in ("Errno", "No such file", str(own_server.pgdata), "asyncpg", "Traceback"):
            assert leak not in response.text
    assert after.status_code == status.HTTP_200_OK  # the same app, the same pool: no restart
    assert after.json()["email"] == "ada@example.com"
