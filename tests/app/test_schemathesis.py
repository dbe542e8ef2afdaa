"""Schemathesis against the live app: every check, anonymous, as a signed-in user and as an
admin, and no failure.

The app runs under a real `fastapi run` server with its docs setting on (so it serves
`/openapi.json`, which `app.openapi()` builds), on a database of its own on the run's server:
schemathesis signs up, changes and deletes users for real. The users and admins it signs in as
are made through the app's own sign-up and login. The run is bounded (examples per operation)
and reproducible (a fixed seed); the test prints what it covered.
"""

import asyncio
import os
import re
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.models import User
from benchmarks.login_flood import create_tables, fastapi_run
from tests.database import create_database, drop_database, new_database_name

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SEED = 20261203
MAX_EXAMPLES = 5  # per operation and phase: the three runs stay under a minute here
PASSWORD = "correct horse battery staple"


@pytest.fixture
async def app_database(engine: AsyncEngine, database_url: str) -> AsyncIterator[str]:
    """A database of its own, with the app's tables, on the run's server; dropped at the end."""
    server = make_url(database_url)
    name = new_database_name()
    await create_database(server, name)
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        await create_tables(url)
        yield url
    finally:
        await drop_database(server, name)


async def signed_in(base_url: str, database_url: str, *, admin: bool) -> str:
    """A new account, made by sign-up (and promoted in the database for an admin): its token."""
    email = f"{'admin' if admin else 'user'}-{secrets.token_hex(4)}@example.com"
    async with httpx.AsyncClient(base_url=base_url) as client:
        created = await client.post("/users", json={"email": email, "password": PASSWORD})
        assert created.status_code == 201, created.text
        if admin:  # no endpoint makes an admin, on purpose
            engine = create_async_engine(database_url, poolclass=NullPool)
            async with engine.begin() as connection:
                promote = update(User).where(User.email == email).values(is_admin=True)
                await connection.execute(promote)
            await engine.dispose()
        token = await client.post("/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
    access_token: str = token.json()["access_token"]
    return access_token


def schemathesis(
    base_url: str, token: str | None, workdir: Path
) -> subprocess.CompletedProcess[str]:
    """One run, started in `workdir`: schemathesis keeps its cache of past cases in the folder
    it runs in, and each run here starts from none."""
    auth = ["--header", f"Authorization: Bearer {token}"] if token else []
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "--no-color",
            "run",
            f"{base_url}/openapi.json",
            "--checks=all",
            f"--max-examples={MAX_EXAMPLES}",
            f"--seed={SEED}",
            "--workers=1",
            "--request-timeout=10",
            *auth,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"COLUMNS": "120"},
        cwd=workdir,
    )


def summary(output: str) -> str:
    """What schemathesis' summary says it covered and found, and how long it took."""
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"Test cases:\n\s*(.+)", output)
    took = re.findall(r" in ([\d.]+s) =+$", output, re.MULTILINE)
    operations = tested.group(1) if tested else "?"
    found = cases.group(1) if cases else "?"
    return f"{operations} operations, test cases: {found}, in {took[-1] if took else '?'}"


@pytest.mark.load
@pytest.mark.slow
async def test_schemathesis_finds_no_failure_anonymous_as_user_and_as_admin(
    app_database: str, tmp_path: Path
) -> None:
    env = os.environ | {
        "APP_DATABASE_URL": app_database,
        "APP_JWT_SECRET": secrets.token_urlsafe(32),
        "APP_API_DOCS": "true",
        # Raised so that schemathesis reaches the login itself, not only its 429.
        "APP_LOGIN_RATE_LIMIT": "100000/minute",
    }
    with fastapi_run(env) as base_url:
        tokens = {
            "anonymous": None,
            "user": await signed_in(base_url, app_database, admin=False),
            "admin": await signed_in(base_url, app_database, admin=True),
        }
        runs = {}
        for who, token in tokens.items():
            workdir = tmp_path / who
            workdir.mkdir()
            runs[who] = await asyncio.to_thread(schemathesis, base_url, token, workdir)

    for who, run in runs.items():
        print(f"schemathesis as {who}: {summary(run.stdout)}")
    for who, run in runs.items():
        assert run.returncode == 0, f"as {who}:\n{run.stdout}\n{run.stderr}"
        assert "Tested: 8" in run.stdout  # every operation of the schema
        assert re.search(r"\d+ generated, \d+ passed", run.stdout), run.stdout
