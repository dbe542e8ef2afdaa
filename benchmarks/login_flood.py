"""A login flood against a real `fastapi run` server, and how `/users/me` fares meanwhile.

    uv run python -m benchmarks.login_flood [--logins 400] [--readers 50]

LOGINS wrong-password logins are sent at once, so each one that is let in costs an Argon2
verification at the app's own parameters, while READERS signed-in clients call `GET /users/me`
in a loop until the logins are answered. The server's login rate limit is raised by its setting
(`APP_LOGIN_RATE_LIMIT`) so the logins reach Argon2: what is measured is the pool and the event
loop, not the limiter. tests/app/test_flood.py asserts on the same run; `python -m benchmarks`
prints the `/me` latencies against their budget.
"""

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from pwdlib import PasswordHash
from pydantic import SecretStr
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.core.security import create_access_token
from app.db.base import Base
from app.models import User
from tests.database import create_database, new_database_name, start_embedded
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
LOGINS = 400
READERS = 50
# Enough room in the hashing queue that at least 100 of the flood's logins are verified even if
# all of them arrive at once (at least 1 thread + 100 waiting); the rest are refused with 503.
HASHING_QUEUE = 100
TIMEOUT = 120.0  # seconds a client waits for any one answer: none may take that long


@dataclass
class Flood:
    logins: Counter[int] = field(default_factory=Counter)  # status code -> answers
    logins_without_retry_after: int = 0  # 503s that did not say when to come back
    me: list[tuple[int, float]] = field(default_factory=list)  # (status, seconds) per call
    errors: list[str] = field(default_factory=list)  # a timeout or a dropped connection

    @property
    def me_seconds(self) -> list[float]:
        return [seconds for _, seconds in self.me]

    def me_percentile(self, percent: int) -> float:
        return statistics.quantiles(self.me_seconds, n=100, method="inclusive")[percent - 1]


@contextmanager
def fastapi_run(env: dict[str, str]) -> Iterator[str]:
    """`fastapi run` (production mode) on a free port with `env`; its base URL. Stopped with
    Ctrl-C at the end. Its log goes to a file: a pipe nobody reads would fill and stall it."""
    port = free_port()
    executable = Path(sys.executable).parent / "fastapi"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [str(executable), "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_serving(base_url, process)
            yield base_url
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_serving(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"fastapi run exited with {process.returncode}")
        try:
            httpx.get(f"{base_url}/users/me", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("fastapi run did not answer within 60 s")


@asynccontextmanager
async def flood_user(database_url: str, secret: SecretStr) -> AsyncIterator[tuple[str, str]]:
    """A committed user, hashed at the app's own Argon2 parameters, and a token for it; deleted
    at the end."""
    email = f"flood-{secrets.token_hex(4)}@example.com"
    engine = create_async_engine(database_url, poolclass=NullPool)
    hashed = PasswordHash.recommended().hash(secrets.token_urlsafe(16))
    try:
        async with engine.begin() as connection:
            user_id = await connection.scalar(
                insert(User).values(email=email, hashed_password=hashed).returning(User.id)
            )
        yield email, create_access_token(str(user_id), secret, timedelta(minutes=10))
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(User).where(User.email == email))
        await engine.dispose()


async def flood(base_url: str, email: str, token: str, logins: int, readers: int) -> Flood:
    result = Flood()
    limits = httpx.Limits(max_connections=logins + readers, max_keepalive_connections=readers)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=TIMEOUT) as client:
        done = asyncio.Event()

        async def login(n: int) -> None:
            form = {"username": email, "password": f"wrong guess number {n:04}"}
            try:
                response = await client.post("/auth/token", data=form)
            except httpx.HTTPError as error:
                result.errors.append(f"login: {error!r}")
                return
            result.logins[response.status_code] += 1
            if response.status_code == 503 and "Retry-After" not in response.headers:
                result.logins_without_retry_after += 1

        async def read_me() -> None:
            headers = {"Authorization": f"Bearer {token}"}
            while True:
                started = time.perf_counter()
                try:
                    response = await client.get("/users/me", headers=headers)
                except httpx.HTTPError as error:
                    result.errors.append(f"/users/me: {error!r}")
                    return
                result.me.append((response.status_code, time.perf_counter() - started))
                if done.is_set():
                    return

        async with asyncio.TaskGroup() as readers_group:
            for _ in range(readers):
                readers_group.create_task(read_me())
            async with asyncio.TaskGroup() as logins_group:
                for n in range(logins):
                    logins_group.create_task(login(n))
            done.set()
    return result


def server_env(database_url: str, secret: SecretStr) -> dict[str, str]:
    return os.environ | {
        "APP_DATABASE_URL": database_url,
        "APP_JWT_SECRET": secret.get_secret_value(),
        "APP_LOGIN_RATE_LIMIT": f"{LOGINS * 10}/minute",  # raised: the logins reach Argon2
        "APP_HASHING_QUEUE": str(HASHING_QUEUE),
        "APP_API_DOCS": "false",
    }


async def run_flood(database_url: str, logins: int = LOGINS, readers: int = READERS) -> Flood:
    """Start the server on `database_url` (its tables must exist), flood it, stop it."""
    secret = SecretStr(secrets.token_urlsafe(32))
    async with flood_user(database_url, secret) as (email, token):
        with fastapi_run(server_env(database_url, secret)) as base_url:
            return await flood(base_url, email, token, logins, readers)


def describe(result: Flood) -> str:
    me = Counter(status for status, _ in result.me)
    return (
        f"logins: {dict(result.logins)}; /users/me: {dict(me)} in {len(result.me)} calls, "
        f"p50 {result.me_percentile(50) * 1000:.0f} ms, p99 {result.me_percentile(99) * 1000:.0f}"
        f" ms; errors: {len(result.errors)}"
    )


@contextmanager
def flood_database() -> Iterator[str]:
    """A new embedded server and database with the app's tables; its URL. Removed at the end."""
    server = start_embedded()
    name = new_database_name()
    try:
        asyncio.run(create_database(server.url, name))
        url = server.url.set(database=name).render_as_string(hide_password=False)
        asyncio.run(create_tables(url))
        yield url
    finally:
        server.stop()


async def create_tables(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=LOGINS)
    parser.add_argument("--readers", type=int, default=READERS)
    args = parser.parse_args()
    with flood_database() as url:
        print(describe(asyncio.run(run_flood(url, args.logins, args.readers))))


if __name__ == "__main__":
    main()
