"""Proofs for async-sqlalchemy/session-dependency: `get_db` yields one session per request,
rolls back on an exception and returns the connection; a commit in its exit code runs after the
response has been sent."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
)
from starlette.types import Message, Receive, Scope, Send

from app.db.session import AsyncSessionLocal, get_db
from app.models import User
from snippets.async_sqlalchemy.session_dependency import avoid, do
from snippets.async_sqlalchemy.session_dependency.schemas import UserEmail
from tests.evidence import Evidence

ADA = "ada@example.com"
BOB = "bob@example.com"
UNIQUE_VIOLATION = 'duplicate key value violates unique constraint "ix_users_email"'


@pytest.fixture
def schema_engine(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> AsyncEngine:
    """For `commits` tests: the test's own engine, on its private schema, bound into the app's
    and the Avoid's session factories so that `get_db` really commits there."""
    bind = session_factory.kw["bind"]
    assert isinstance(bind, AsyncEngine)
    monkeypatch.setitem(AsyncSessionLocal.kw, "bind", bind)
    monkeypatch.setitem(avoid.SessionLocal.kw, "bind", bind)
    return bind


async def add_users(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with factory() as session:
        users = [User(email=email, hashed_password="x") for email in (ADA, BOB)]
        session.add_all(users)
        await session.commit()
        return {user.email: user.id for user in users}


async def stored_emails(factory: async_sessionmaker[AsyncSession]) -> list[str]:
    async with factory() as session:
        return list(await session.scalars(select(User.email).order_by(User.id)))


def app_with(router: APIRouter) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app


def client_of(app: Any, *, raise_app_exceptions: bool = False) -> httpx.AsyncClient:
    # raise_app_exceptions=False: what a client of a real server gets.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.commits
async def test_exception_rolls_back_and_returns_the_connection(
    session_factory: async_sessionmaker[AsyncSession], schema_engine: AsyncEngine
) -> None:
    """An endpoint on the app's `get_db` adds a user, flushes (the INSERT has run) and raises:
    the client gets `500`, 1 connection was checked out during the request, and afterwards the
    user is not in the table, 0 connections are checked out and 1 is back in the pool."""
    checked_out_during: list[int] = []
    app = FastAPI()

    @app.post("/users")
    async def create_then_fail(session: Annotated[AsyncSession, Depends(get_db)]) -> None:
        session.add(User(email=ADA, hashed_password="x"))
        await session.flush()  # the INSERT has run, inside the request's transaction
        checked_out_during.append(schema_engine.pool.checkedout())  # type: ignore[attr-defined]
        raise RuntimeError("a bug after the flush")

    async with client_of(app) as client:
        response = await client.post("/users")

    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert checked_out_during == [1]
    # The transaction was rolled back: the row is gone.
    assert await stored_emails(session_factory) == []
    # The connection went back to the pool, ready for the next request, not leaked.
    assert schema_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert schema_engine.pool.checkedin() == 1  # type: ignore[attr-defined]


@pytest.mark.commits
async def test_service_commits_and_turns_a_conflict_into_409(
    session_factory: async_sessionmaker[AsyncSession], schema_engine: AsyncEngine
) -> None:
    """Served by the Do, changing Ada's e-mail to Bob's is `409 {"detail": "E-mail already in
    use"}` with both rows unchanged; a free e-mail is `200` with the new address, stored; an
    unknown user is `404`."""
    ids = await add_users(session_factory)

    async with client_of(app_with(do.router)) as client:
        conflict = await client.patch(f"/users/{ids[ADA]}/email", json={"email": BOB})
        changed = await client.patch(f"/users/{ids[ADA]}/email", json={"email": "ada@new.example"})
        missing = await client.patch("/users/999999/email", json={"email": "x@example.com"})

    # The commit failed inside the service, before any response: the client is told.
    assert conflict.status_code == status.HTTP_409_CONFLICT
    assert conflict.json() == {"detail": "E-mail already in use"}
    assert changed.status_code == status.HTTP_200_OK
    assert changed.json() == {"id": ids[ADA], "email": "ada@new.example"}
    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert await stored_emails(session_factory) == ["ada@new.example", BOB]
    assert schema_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def recording(app: FastAPI, events: list[str]) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """`app`, noting each ASGI message it sends and the exception it raises, in order."""

    async def recorded(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_and_note(message: Message) -> None:
            events.append(f"{message['type']} {message.get('status', '')}".strip())
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        except Exception as error:
            events.append(f"raised {type(error).__name__}")
            raise

    return recorded


@pytest.mark.commits
async def test_commit_in_get_db_fails_after_the_response(
    session_factory: async_sessionmaker[AsyncSession],
    schema_engine: AsyncEngine,
    evidence: Evidence,
) -> None:
    """The Avoid, its ASGI messages recorded, answers Ada's change to Bob's e-mail with `200`
    and the new e-mail, while the table keeps Ada's: `http.response.start 200`,
    `http.response.body`, then the commit's `IntegrityError`, after the body was sent."""
    ids = await add_users(session_factory)
    events: list[str] = []
    app = recording(app_with(avoid.router), events)

    async with client_of(app) as client:
        response = await client.patch(f"/users/{ids[ADA]}/email", json={"email": BOB})
        missing = await client.patch("/users/999999/email", json={"email": "x@example.com"})

    # The client got a success, with the new e-mail in the body...
    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"id": ids[ADA], "email": BOB}
    evidence.add(response, "Ada's e-mail changed to Bob's, served by the Avoid")
    # ...which was never stored: the commit ran after the response and failed.
    assert await stored_emails(session_factory) == [ADA, BOB]
    evidence.add(repr(await stored_emails(session_factory)), "The e-mails stored afterwards")
    assert events[:3] == ["http.response.start 200", "http.response.body", "raised IntegrityError"]
    evidence.add("\n".join(events[:3]), "What the app did, in order")
    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert schema_engine.pool.checkedout() == 0  # type: ignore[attr-defined]

    # Raised to the server, too late to change the response.
    async with client_of(app, raise_app_exceptions=True) as client:
        with pytest.raises(IntegrityError, match=UNIQUE_VIOLATION) as error:
            await client.patch(f"/users/{ids[ADA]}/email", json={"email": BOB})
    evidence.add(error.value, "Raised to the server after the body was sent")


@pytest.mark.commits
async def test_commit_in_get_db_under_uvicorn(
    session_factory: async_sessionmaker[AsyncSession],
    schema_engine: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
    evidence: Evidence,
) -> None:
    """The same app under a real uvicorn server and a real HTTP client: `200` with the new
    e-mail, nothing stored, and uvicorn logs `Exception in ASGI application` with the
    `IntegrityError`."""
    ids = await add_users(session_factory)
    config = uvicorn.Config(app_with(avoid.router), host="127.0.0.1", port=0, log_config=None)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):  # up to 5 s
            if server.started:
                break
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            with caplog.at_level(logging.ERROR, logger="uvicorn.error"):
                response = await client.patch(f"/users/{ids[ADA]}/email", json={"email": BOB})
                await asyncio.sleep(0.1)  # the commit fails just after the response
    finally:
        server.should_exit = True
        await serving

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"id": ids[ADA], "email": BOB}
    evidence.add(response, "Ada's e-mail changed to Bob's, through uvicorn")
    assert await stored_emails(session_factory) == [ADA, BOB]
    (record,) = [r for r in caplog.records if r.name == "uvicorn.error"]
    assert record.getMessage().strip() == "Exception in ASGI application"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], IntegrityError)
    evidence.add(
        f"{record.levelname} {record.name}: {record.getMessage().strip()}\n"
        f"{type(record.exc_info[1]).__module__}.{type(record.exc_info[1]).__name__}: "
        f"{record.exc_info[1]}",
        "What uvicorn logs, after the response",
    )
    assert UNIQUE_VIOLATION in str(record.exc_info[1])


@pytest.mark.commits
async def test_function_scoped_get_db_commits_before_the_response(
    session_factory: async_sessionmaker[AsyncSession],
    schema_engine: AsyncEngine,
    evidence: Evidence,
) -> None:
    """The Avoid's `get_db` as `Depends(..., scope="function")`: the commit fails before the
    response, so the client gets `500 Internal Server Error`, not a `409`; nothing is
    stored."""
    ids = await add_users(session_factory)
    app = FastAPI()

    @app.patch("/users/{user_id}/email")
    async def update_email(
        user_id: int,
        email: str,
        session: Annotated[AsyncSession, Depends(avoid.get_db, scope="function")],
    ) -> UserEmail:
        user = await session.get(User, user_id)
        assert user is not None
        user.email = email
        return UserEmail.model_validate(user)

    async with client_of(app) as client:
        response = await client.patch(f"/users/{ids[ADA]}/email", params={"email": BOB})

    # scope="function" runs the exit code before the response: a bare 500, and no way to say
    # "409, that e-mail is taken".
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"
    evidence.add(response, "Ada's e-mail changed to Bob's, get_db with scope=\"function\"")
    assert await stored_emails(session_factory) == [ADA, BOB]


async def test_autoflush_off_sends_changes_at_commit(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """A user whose e-mail is taken is added. With the app's `AsyncSessionLocal` a `count(*)`
    query afterwards counts 2 (the INSERT is still pending) and `commit()` raises the
    `IntegrityError`; with the Avoid's default factory the `count(*)` query itself raises it,
    `raised as a result of Query-invoked autoflush`."""
    connection = await db_session.connection()
    await add_users(bound(AsyncSessionLocal, connection))

    async with bound(AsyncSessionLocal, connection)() as session:
        session.add(User(email=ADA, hashed_password="x"))
        # An unrelated query does not send the pending INSERT (and does not count it)...
        assert await session.scalar(select(func.count()).select_from(User)) == 2
        # ...the commit does, where the service can catch the failure.
        with pytest.raises(IntegrityError, match=UNIQUE_VIOLATION):
            await session.commit()

    async with bound(avoid.SessionLocal, connection)() as session:
        session.add(User(email=ADA, hashed_password="x"))
        # autoflush=True: the next query flushes first and fails, far from any commit.
        with pytest.raises(IntegrityError, match="Query-invoked autoflush") as error:
            await session.scalar(select(func.count()).select_from(User))
        assert UNIQUE_VIOLATION in str(error.value)
    evidence.add(error.value, "SELECT count(*) after adding a taken e-mail, autoflush=True")


def bound(
    factory: async_sessionmaker[AsyncSession], connection: AsyncConnection
) -> async_sessionmaker[AsyncSession]:
    """`factory`'s settings, on the test's connection (inside its rolled-back transaction)."""
    settings = {key: value for key, value in factory.kw.items() if key != "bind"}
    return async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint", **settings)
