"""Proofs for routers/thin-endpoints: the reference app's endpoints parse and authorise, then
call one typed async service function, which calls the repository with the session; the logic
is then one function, callable without HTTP. Copied into endpoints, it drifts."""

import ast
import inspect
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.routers import users as users_router
from app.models import User
from app.schemas.user import UserCreate
from app.services import users as user_service
from app.services.exceptions import EmailAlreadyRegistered
from snippets.routers.thin_endpoints import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence

TAKEN = {"email": "ada@example.com", "password": PASSWORD}


async def count(session: AsyncSession, email: str) -> int:
    stmt = select(func.count()).select_from(User).where(User.email == email)
    return (await session.execute(stmt)).scalar_one()


def test_each_endpoint_is_one_service_call() -> None:
    """Parses the source of the reference app's create, update, delete and read endpoints: each
    body is a single statement holding a single call, to `user_service`."""
    endpoints: list[Callable[..., Any]] = [
        users_router.create_user,
        users_router.update_me,
        users_router.delete_me,
        users_router.read_user,
        users_router.delete_user,
    ]
    for endpoint in endpoints:
        body = ast.parse(inspect.getsource(endpoint)).body[0]
        assert isinstance(body, ast.AsyncFunctionDef)
        (statement,) = body.body  # one statement...
        calls = [n for n in ast.walk(statement) if isinstance(n, ast.Call)]
        (call,) = calls  # ...holding one call, to the service
        assert isinstance(call.func, ast.Attribute)
        assert ast.unparse(call.func.value) == "user_service", endpoint.__name__


async def test_service_runs_without_http(db_session: AsyncSession) -> None:
    """Calls `user_service.create_user` with the test's session and no app: the user is created
    with its email lower-cased; the same data again raises `EmailAlreadyRegistered`, and the
    session still counts one row afterwards (only the SAVEPOINT was rolled back)."""
    data = UserCreate(email="Ada@Example.com", password=PASSWORD)

    user = await user_service.create_user(db_session, data)
    with pytest.raises(EmailAlreadyRegistered):
        await user_service.create_user(db_session, data)

    assert user.email == "ada@example.com"
    assert await count(db_session, "ada@example.com") == 1  # and the session is still usable


async def test_every_route_shares_the_services_rules(client: httpx.AsyncClient, user: User) -> None:
    """`POST /users` with a taken email is `409`."""
    response = await client.post("/users", json=TAKEN)

    assert response.status_code == status.HTTP_409_CONFLICT


async def test_logic_copied_into_endpoints_drifts(
    serve: Serve,
    user: User,
    admin_headers: dict[str, str],
    db_session: AsyncSession,
    evidence: Evidence,
) -> None:
    """Serves the Avoid. With new emails, both copies work (`201`, `201`). With a taken email,
    the sign-up route answers `409`, and the admin route, whose copy lost the check, raises
    `sqlalchemy.exc.IntegrityError`: duplicate key value violates unique constraint
    "ix_users_email", which a server sends as a `500`."""
    async with serve(avoid.router) as client:
        fresh = await client.post("/users", json=TAKEN | {"email": "b@example.com"})
        fresh_by_admin = await client.post(
            "/users/admin", json=TAKEN | {"email": "c@example.com"}, headers=admin_headers
        )
        signed_up = await client.post("/users", json=TAKEN)
        # The copy without the check: the unique index rejects the INSERT, nothing catches it,
        # and a server answers 500.
        with pytest.raises(IntegrityError, match='unique constraint "ix_users_email"') as error:
            await client.post("/users/admin", json=TAKEN, headers=admin_headers)
    await db_session.rollback()  # the failed INSERT aborted the test's SAVEPOINT

    assert [fresh.status_code, fresh_by_admin.status_code] == [201, 201]  # both copies work...
    assert signed_up.status_code == status.HTTP_409_CONFLICT  # ...until they disagree
    evidence.add(signed_up, "POST /users with a taken email: the sign-up route's copy")
    evidence.add(error.value, "POST /users/admin with the same email: the copy that lost the check")
