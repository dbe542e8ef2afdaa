"""`rulebook dev`: the reference app for a newcomer, in one command.

Without `APP_DATABASE_URL` it starts the embedded PostgreSQL the tests use (rulebook/embedded.py),
migrates it with Alembic and serves the app with `fastapi dev`; on exit (Ctrl-C) the server and
its data directory are removed. With `APP_DATABASE_URL` set it migrates and serves against that
database, and leaves it as it is.
"""

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import typer

from rulebook.embedded import start_embedded

DATABASE_ENV = "APP_DATABASE_URL"
STOP_TIMEOUT = 30.0  # seconds `fastapi dev` gets to stop after Ctrl-C before it is killed


@contextmanager
def database(environ: Mapping[str, str]) -> Iterator[str]:
    """APP_DATABASE_URL if set; else an embedded server's URL, stopped and deleted at the end."""
    if environ.get(DATABASE_ENV):
        typer.echo(f"Database: {DATABASE_ENV} from the environment")
        yield environ[DATABASE_ENV]
        return
    typer.echo("Database: starting an embedded PostgreSQL (removed on exit)")
    server = start_embedded()
    try:
        typer.echo(f"PostgreSQL: {server.pgdata} (pid {server.postmaster_pid})")
        yield server.url.render_as_string(hide_password=False)
    finally:
        server.stop()
        typer.echo(f"PostgreSQL stopped; {server.pgdata} removed")


def app_environment(environ: Mapping[str, str], database_url: str) -> dict[str, str]:
    """The app's settings for a development run: the database, a signing key made for this run
    unless one is set, and the API docs on unless turned off."""
    env = dict(environ) | {DATABASE_ENV: database_url}
    env.setdefault("APP_JWT_SECRET", secrets.token_urlsafe(32))
    env.setdefault("APP_API_DOCS", "true")
    return env


def tool(name: str) -> str:
    """A command installed beside this Python (the project's environment)."""
    return str(Path(sys.executable).parent / name)


def interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM (kill, a supervisor) cleans up as Ctrl-C does


def serve(root: Path, host: str, port: int) -> int:
    """Migrate, then run `fastapi dev` until it exits or Ctrl-C; its exit code."""
    signal.signal(signal.SIGTERM, interrupt)
    with database(os.environ) as url:
        env = app_environment(os.environ, url)
        migrated = subprocess.run([tool("alembic"), "upgrade", "head"], cwd=root, env=env)
        if migrated.returncode != 0:
            typer.echo("alembic upgrade head failed; not serving", err=True)
            return migrated.returncode
        app = root / "src" / "app" / "main.py"
        command = [tool("fastapi"), "dev", str(app), "--host", host, "--port", str(port)]
        process = subprocess.Popen(command, cwd=root, env=env)
        try:
            return process.wait()
        except KeyboardInterrupt:
            # From a terminal, Ctrl-C reached `fastapi dev` too; sent to this process alone
            # (kill -INT), it is passed on. Either way, wait for it before the database goes.
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            return 0
