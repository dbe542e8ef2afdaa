"""Choosing the server: TEST_DATABASE_URL, then TEST_DB_BACKEND, with clear errors; URL schemes."""

import asyncio
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.database import (
    BACKEND_ENV,
    URL_ENV,
    Backend,
    DatabaseSetupError,
    choose_backend,
    normalise_url,
    open_run_database,
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the outer run was started with must not leak into these tests.
    for name in (URL_ENV, BACKEND_ENV, "DOCKER_HOST"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    # Short on purpose: unix socket paths are limited to ~100 characters.
    with tempfile.TemporaryDirectory(prefix="rb-") as directory:
        yield Path(directory)


def closed_port() -> int:
    """A local port that was free a moment ago: nothing listens there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_nothing_set_means_embedded() -> None:
    assert choose_backend() is Backend.EMBEDDED


@pytest.mark.parametrize("value", ["embedded", " Embedded ", ""])
def test_embedded_by_name(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(BACKEND_ENV, value)
    assert choose_backend() is Backend.EMBEDDED


def test_url_wins_over_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, "postgres://user:secret@db.example:5433/postgres")
    monkeypatch.setenv(BACKEND_ENV, "docker")  # never reached: no Docker check is made
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    assert choose_backend() is Backend.URL


def test_docker_without_engine_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, socket_dir: Path
) -> None:
    monkeypatch.setenv(BACKEND_ENV, "docker")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{socket_dir}/docker.sock")  # nothing listens
    with pytest.raises(DatabaseSetupError) as raised:
        choose_backend()
    message = str(raised.value)
    assert "TEST_DB_BACKEND=docker" in message
    assert "no Docker engine was found" in message
    assert f"unset {BACKEND_ENV}" in message
    assert URL_ENV in message


def test_docker_with_unreachable_tcp_engine_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = closed_port()
    monkeypatch.setenv(BACKEND_ENV, "docker")
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{port}")
    with pytest.raises(DatabaseSetupError, match="no Docker engine was found"):
        choose_backend()


def test_docker_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, socket_dir: Path
) -> None:
    # Something listens where DOCKER_HOST points, so the engine check passes ...
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as engine:
        engine.bind(str(socket_dir / "docker.sock"))
        engine.listen()
        monkeypatch.setenv(BACKEND_ENV, "docker")
        monkeypatch.setenv("DOCKER_HOST", f"unix://{socket_dir}/docker.sock")
        # ... and testcontainers cannot be imported, installed or not (None blocks an import).
        monkeypatch.setitem(sys.modules, "testcontainers.community.postgres", None)
        with pytest.raises(DatabaseSetupError, match=r"uv sync --group docker"):
            choose_backend()


@pytest.mark.parametrize("value", ["podman", "postgres", "Dockr"])
def test_unknown_backend_lists_the_valid_values(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(BACKEND_ENV, value)
    with pytest.raises(DatabaseSetupError) as raised:
        choose_backend()
    message = str(raised.value)
    assert repr(value) in message
    assert "Valid values: embedded, docker" in message


@pytest.mark.parametrize(
    "raw", ["postgresql://", "postgres://", "postgresql+asyncpg://"], ids=lambda raw: raw
)
def test_accepted_schemes_become_asyncpg(raw: str) -> None:
    url = normalise_url(f"{raw}app:p%40ss@db.example:5433/rules")
    assert url.drivername == "postgresql+asyncpg"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "app",
        "p@ss",
        "db.example",
        5433,
        "rules",
    )
    # The string the app gets keeps the password (str(url) would mask it).
    rendered = url.set(database="other").render_as_string(hide_password=False)
    assert rendered == "postgresql+asyncpg://app:p%40ss@db.example:5433/other"


def test_unix_socket_url_keeps_its_host_query() -> None:
    url = normalise_url("postgresql://postgres:@/postgres?host=/dev/shm/pg")
    assert url.drivername == "postgresql+asyncpg"
    assert url.query == {"host": "/dev/shm/pg"}


@pytest.mark.parametrize("raw", ["mysql://u:p@h/db", "postgresql+psycopg://u:p@h/db", "not a url"])
def test_other_urls_are_refused(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    with pytest.raises(DatabaseSetupError, match=URL_ENV):
        normalise_url(raw)
    # choose_backend refuses it too, before anything starts.
    monkeypatch.setenv(URL_ENV, raw)
    with pytest.raises(DatabaseSetupError, match=URL_ENV):
        choose_backend()


async def test_unreachable_url_server_is_a_clear_error_without_the_password() -> None:
    port = closed_port()
    environ = {URL_ENV: f"postgresql://app:s3cret@127.0.0.1:{port}/postgres"}
    # In a thread: open_run_database runs its own event loop, as it does in pytest_configure.
    with pytest.raises(DatabaseSetupError, match="Cannot create the run's database") as raised:
        await asyncio.to_thread(open_run_database, environ)
    assert "s3cret" not in str(raised.value)
