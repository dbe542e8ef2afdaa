"""Proofs for dependencies/annotated-depends: everything an endpoint needs arrives through
`Depends` in an `Annotated` alias, so tests can replace it and code can call it; a session the
endpoint opens itself cannot be replaced, and `Depends()` as a default value leaks into calls."""

import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import httpx
import pytest
from fastapi import status
from fastapi.params import Depends
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import CurrentUser, SessionDep
from app.api.routers import auth as auth_router
from app.api.routers import users as users_router
from app.db.session import get_db
from app.models import User
from snippets.dependencies.annotated_depends import avoid
from tests.app.factories import UserFactory
from tests.app.fixtures import Serve
from tests.lint import ROOT, line_of, ruff_findings

FAST_API_RULES = ("--extend-select", "FAST002")  # B008 is in the project's selection already


async def count_in(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_self_opened_session_ignores_the_override(
    serve: Serve, users: UserFactory, db_session: AsyncSession
) -> None:
    for _ in range(2):
        await users.create()  # in the test's transaction, which `serve` injects as get_db

    async with serve(avoid.router) as client:
        injected = await client.get("/users/count")
        self_opened = await client.get("/users/active-count")

    # The injected session sees the test's two users; the one the endpoint opened itself, on
    # another connection, does not: no test can hand that endpoint its data.
    assert injected.json() == await count_in(db_session)
    assert self_opened.json() == injected.json() - 2


async def test_injected_session_follows_the_override(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    response = await client.get(f"/users/{user.id}", headers=admin_headers)

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["email"] == "ada@example.com"


async def test_depends_as_a_default_value_reaches_a_direct_call() -> None:
    # Called as a plain function, the parameter's default is the Depends marker itself.
    with pytest.raises(AttributeError, match="'Depends' object has no attribute 'execute'"):
        await avoid.count_users()
    assert isinstance(inspect.signature(avoid.count_users).parameters["session"].default, Depends)


async def test_annotated_endpoints_are_plain_functions(
    db_session: AsyncSession, user: User
) -> None:
    # No defaults to fall back on: a direct call must pass real values, and then it just works.
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'session'"):
        await users_router.read_user(user.id)  # type: ignore[call-arg]
    found = await users_router.read_user(user.id, session=db_session)

    assert found is user
    # The aliases carry the dependency in their metadata, once for every signature using them.
    assert get_args(SessionDep)[1].dependency is get_db
    assert get_args(CurrentUser)[0] is User


def depends_defaults(routes: Iterable[object]) -> dict[str, list[str]]:
    """Per endpoint, the parameters whose default value is a `Depends(...)` marker."""
    found: dict[str, list[str]] = {}
    for route in routes:
        if isinstance(route, APIRoute):
            signature = inspect.signature(route.endpoint)
            found[route.endpoint.__name__] = [
                name
                for name, parameter in signature.parameters.items()
                if isinstance(parameter.default, Depends)
            ]
    return found


def test_no_endpoint_takes_a_dependency_as_a_default() -> None:
    # Every endpoint of the reference app's routers (`update_me` among them) gets its
    # dependencies through `Annotated`: none has a `Depends` default for a direct call to receive.
    app_endpoints = depends_defaults([*auth_router.router.routes, *users_router.router.routes])
    assert app_endpoints.keys() == {
        "issue_token",
        "create_user",
        "read_me",
        "update_me",
        "delete_me",
        "list_users",
        "read_user",
        "delete_user",
    }
    assert {name: found for name, found in app_endpoints.items() if found} == {}
    # The same check finds the Avoid's default.
    assert depends_defaults(avoid.router.routes) == {
        "count_active_users": [],
        "count_users": ["session"],
    }
    # ruff says so too: FAST002 and B008 on the Avoid's default, nothing in the app's routers.
    avoid_path = Path(avoid.__file__)
    default = line_of(avoid_path, "session: AsyncSession = Depends(get_db)")
    assert ruff_findings(avoid_path, *FAST_API_RULES) == [(default, "B008"), (default, "FAST002")]
    for router in sorted((ROOT / "src/app/api/routers").glob("*.py")):
        assert ruff_findings(router, *FAST_API_RULES) == [], router
