"""Proofs for security/no-leaked-internals: the Avoid sends the password hash, the driver's
error and a traceback to the client and logs the password; the reference app with the Do's
handler sends fixed messages, and the full error, without SQL parameters, goes to the log."""

import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, status
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Settings
from app.db.session import get_db
from snippets.security.no_leaked_internals import avoid, do
from tests.evidence import Evidence, describe_response

PASSWORD = "correct horse battery staple"
ADA = {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada Lovelace"}
# PostgreSQL text cannot hold a NUL character: the Avoid's INSERT fails with an unexpected error.
NUL_NAME = {"email": "nul@example.com", "password": PASSWORD, "full_name": "Ada\x00"}
# The reference app refuses NUL with a 422; for it, the test's transaction narrows the column
# below this name's length, so the INSERT fails in the driver all the same (rolled back with
# the test; PostgreSQL's message names the type, not the row, unlike a CHECK's).
BROKEN = {"email": "broken@example.com", "password": PASSWORD, "full_name": "B" * 150}
NARROW_COLUMN = text("ALTER TABLE users ALTER COLUMN full_name TYPE varchar(100)")


def serve(app: FastAPI, session: AsyncSession) -> httpx.AsyncClient:
    """A client for `app` as a server runs it: an unhandled exception becomes a response."""

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def stable(response: httpx.Response) -> str:
    """The response as evidence, with the new user's id and creation time, and the length
    they set, left out: they change from run to run."""
    text = re.sub(r'"id": \d+', '"id": <id>', describe_response(response))
    text = re.sub(r'"created_at": "[^"]+"', '"created_at": <time>', text)
    return re.sub(r"(?m)^content-length: \d+$", "content-length: <length>", text)


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged, as a log file would hold it: messages and tracebacks."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


async def test_raw_orm_object_sends_the_password_hash(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Sign-up answers `200` with `hashed_password` starting `$argon2id$`, and `is_admin`."""
    async with serve(avoid.create_app(), db_session) as client:
        response = await client.post("/users", json=ADA)

    assert response.status_code == status.HTTP_200_OK
    # No response model: FastAPI serialises every column of the ORM object.
    assert response.json()["hashed_password"].startswith("$argon2id$")
    assert response.json()["is_admin"] is False
    evidence.add(stable(response), "POST /users, served by the Avoid")


async def test_driver_error_reaches_the_client(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The second sign-up with the same address answers `409` whose `detail` contains
    `asyncpg.exceptions.UniqueViolationError`, `duplicate key value violates unique constraint` and
    `Key (email)=(ada@example.com) already exists.`"""
    async with serve(avoid.create_app(), db_session) as client:
        await client.post("/users", json=ADA)
        response = await client.post("/users", json=ADA)

    assert response.status_code == status.HTTP_409_CONFLICT
    detail = response.json()["detail"]
    assert "asyncpg.exceptions.UniqueViolationError" in detail
    assert "duplicate key value violates unique constraint" in detail
    assert "Key (email)=(ada@example.com) already exists." in detail
    evidence.add(stable(response), "POST /users again with the same e-mail, served by the Avoid")


async def test_debug_sends_the_traceback_and_sql_to_the_client(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The NUL name gets a `500`, `text/plain`, starting `Traceback (most recent call last):`,
    containing `asyncpg.exceptions.CharacterNotInRepertoireError`, `INSERT INTO users` and the
    `$argon2id$` hash among the parameters."""
    async with serve(avoid.create_app(), db_session) as client:
        response = await client.post("/users", json=NUL_NAME)

    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert body.startswith("Traceback (most recent call last):")
    assert "asyncpg.exceptions.CharacterNotInRepertoireError" in body
    assert "INSERT INTO users" in body  # the table and its columns
    assert "$argon2id$" in body  # the bound parameters, the new user's hash among them
    # The frames (indented) left out: the chain of exceptions, the SQL and its parameters.
    lines = body.splitlines()
    evidence.add(
        f"HTTP/1.1 {response.status_code} {response.reason_phrase}\n"
        f"content-type: {response.headers['content-type']}\n\n"
        + "\n".join(line for line in lines if line and not line[0].isspace())
        + f"\n... (the body's {len(lines)} lines, less the indented frames)",
        "POST /users with a NUL in full_name, served by the Avoid",
    )


async def test_logging_the_body_logs_the_password(
    db_session: AsyncSession, caplog: pytest.LogCaptureFixture, evidence: Evidence
) -> None:
    """The captured log contains `'password': 'correct horse battery staple'`."""
    caplog.set_level(logging.INFO, logger="app.signup")
    async with serve(avoid.create_app(), db_session) as client:
        await client.post("/users", json=ADA)

    assert f"'password': '{PASSWORD}'" in logged(caplog)
    evidence.add(logged(caplog), "The log after POST /users, served by the Avoid")


async def test_reference_app_sends_fixed_messages(
    asgi_app: FastAPI, db_session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    """The reference app (`create_app()`, its `get_db` on the test's session) with the Do's handler
    added. Sign-up answers `201` with exactly `id`, `email`, `full_name`, `is_active` and
    `created_at`; the duplicate answers `409 {"detail": "Email already registered"}`; the too-long
    name answers `500 {"detail": "Internal server error"}`, and the log holds `ERROR app.errors POST
    /users failed` with the traceback, `StringDataRightTruncationError` and `value too long for type
    character varying(100)`. The test engine has no `hide_parameters`, and its log does contain the
    `$argon2id$` hash."""
    caplog.set_level(logging.DEBUG)
    do.add_error_handler(asgi_app)
    async with serve(asgi_app, db_session) as client:
        created = await client.post("/users", json=ADA)
        duplicate = await client.post("/users", json=ADA)
        await db_session.execute(NARROW_COLUMN)
        broken = await client.post("/users", json=BROKEN)

    # A response model: only the fields of UserRead.
    assert created.status_code == status.HTTP_201_CREATED
    assert set(created.json()) == {"id", "email", "full_name", "is_active", "created_at"}
    # An expected failure: the domain exception's fixed message, nothing of the driver's.
    assert duplicate.status_code == status.HTTP_409_CONFLICT
    assert duplicate.json() == {"detail": "Email already registered"}
    # An unexpected one: a fixed message, and the full error in the log.
    assert broken.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert broken.json() == {"detail": "Internal server error"}
    log = logged(caplog)
    assert "ERROR app.errors POST /users failed" in log
    assert "asyncpg.exceptions.StringDataRightTruncationError" in log
    assert "value too long for type character varying(100)" in log
    # The test engine was built without hide_parameters: its error text carries the values.
    assert "$argon2id$" in log
    assert PASSWORD not in log


@pytest.fixture
async def hidden_parameters_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session of the Do's engine (hide_parameters=True) inside a transaction rolled back at
    the end; `engine` (the run's) has created the tables."""
    async with do.engine.connect() as connection:
        outer = await connection.begin()
        session = do.SessionLocal(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()
    await do.engine.dispose()


async def test_hidden_parameters_keep_values_out_of_the_log(
    asgi_app: FastAPI,
    hidden_parameters_session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The same request on a session of the Do's engine (`hide_parameters=True`) logs the error and
    `INSERT INTO users`, with `[SQL parameters hidden due to hide_parameters=True]` in place of the
    values: no hash, no e-mail address."""
    caplog.set_level(logging.DEBUG)
    do.add_error_handler(asgi_app)
    await hidden_parameters_session.execute(NARROW_COLUMN)
    async with serve(asgi_app, hidden_parameters_session) as client:
        broken = await client.post("/users", json=BROKEN)

    assert broken.json() == {"detail": "Internal server error"}
    log = logged(caplog)
    assert "asyncpg.exceptions.StringDataRightTruncationError" in log
    assert "INSERT INTO users" in log
    assert "[SQL parameters hidden due to hide_parameters=True]" in log
    assert "$argon2id$" not in log
    assert "broken@example.com" not in log


async def test_handler_answers_and_the_server_still_gets_the_error(
    asgi_app: FastAPI, db_session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    """Called without `raise_app_exceptions=False`, the same request raises the `DBAPIError` in the
    caller, as uvicorn receives it, after the handler has logged `POST /users failed`."""
    do.add_error_handler(asgi_app)

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    asgi_app.dependency_overrides[get_db] = override_get_db
    await db_session.execute(NARROW_COLUMN)
    # raise_app_exceptions=True: what the server (uvicorn) gets back from the app.
    transport = httpx.ASGITransport(app=asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with pytest.raises(DBAPIError, match="StringDataRightTruncationError"):
            await client.post("/users", json=BROKEN)

    # The handler ran first (its log line is there); Starlette re-raised for the server to log.
    assert "ERROR app.errors POST /users failed" in logged(caplog)


def test_logged_settings_show_plain_str_fields(
    caplog: pytest.LogCaptureFixture, evidence: Evidence
) -> None:
    """Logging a `Settings` object shows `jwt_secret=SecretStr('**********')`, and the database
    password of `database_url`, a plain `str`, in full."""
    settings = Settings(
        database_url="postgresql+asyncpg://app:db-password-123@db.internal/app",
        jwt_secret=SecretStr("jwt-secret-456-jwt-secret-456-jwt"),
        hashing_threads=2,  # its default follows the machine's cores; the evidence may not
    )
    caplog.set_level(logging.INFO, logger="app")

    logging.getLogger("app").info("starting with %s", settings)

    log = logged(caplog)
    assert "jwt_secret=SecretStr('**********')" in log  # SecretStr: masked
    assert "jwt-secret-456" not in log
    assert "db-password-123" in log  # a plain `str` URL: in full
    evidence.add(log, 'logging.getLogger("app").info("starting with %s", settings)')
