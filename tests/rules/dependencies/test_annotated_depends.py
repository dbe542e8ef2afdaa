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
from tests.evidence import Evidence
from tests.lint import ROOT, line_of, ruff_findings

FAST_API_RULES = ("--extend-select", "FAST002")  # B008 is in the project's selection already


async def count_in(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_self_opened_session_ignores_the_override(
    serve: Serve, users: UserFactory, db_session: AsyncSession, evidence: Evidence
) -> None:
    """Two users created in the test's transaction, and the Avoid served with `get_db`
    overridden to that transaction. `GET /users/count`, whose session is injected (even through
    the old default-value style), counts them; `GET /users/active-count`, which opens
    `AsyncSessionLocal()` itself, returns exactly two fewer: its connection cannot see the
    test's data."""
    for _ in range(2):
        await users.create()  # in the test's transaction, which `serve` injects as get_db

    async with serve(avoid.router) as client:
        injected = await client.get("/users/count")
        self_opened = await client.get("/users/active-count")

    # The injected session sees the test's two users; the one the endpoint opened itself, on
    # another connection, does not: no test can hand that endpoint its data.
    assert injected.json() == await count_in(db_session)
    assert self_opened.json() == injected.json() - 2
    evidence.add(
        f"GET /users/count         {injected.status_code}: counts the test's users\n"
        f"GET /users/active-count  {self_opened.status_code}: "
        f"{injected.json() - self_opened.json()} fewer, the session it opened cannot see them",
        "The Avoid's two counts, get_db overridden to the test's transaction",
    )


async def test_injected_session_follows_the_override(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    """One of the test's users read through the reference app (`GET /users/{id}` as an
    admin): `200`, with its email."""
    response = await client.get(f"/users/{user.id}", headers=admin_headers)

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["email"] == "ada@example.com"


async def test_depends_as_a_default_value_reaches_a_direct_call(evidence: Evidence) -> None:
    """Awaiting the Avoid's `count_users()` raises `AttributeError: 'Depends' object has no
    attribute 'execute'`; the parameter's default is a `fastapi.params.Depends`."""
    # Called as a plain function, the parameter's default is the Depends marker itself.
    with pytest.raises(
        AttributeError, match="'Depends' object has no attribute 'execute'"
    ) as error:
        await avoid.count_users()
    evidence.add(error.value, "await count_users(), called as a function")
    default = inspect.signature(avoid.count_users).parameters["session"].default
    evidence.add(f"session={default!r}", "Its parameter's default")
    assert isinstance(inspect.signature(avoid.count_users).parameters["session"].default, Depends)


async def test_annotated_endpoints_are_plain_functions(
    db_session: AsyncSession, user: User
) -> None:
    """The reference app's `read_user` endpoint called as a function. Without a session it
    raises `TypeError: read_user() missing 1 required positional argument: 'session'` (and
    the test needs `# type: ignore[call-arg]` for mypy to accept that line, which mypy's
    `warn_unused_ignores` would report if the error went away); with the test's session it
    returns the user. `SessionDep` carries `Depends(get_db)`, and `CurrentUser` is typed
    `User`."""
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
    """No parameter of any endpoint on the reference app's routers (`issue_token`,
    `create_user`, `read_me`, `update_me`, `delete_me`, `list_users`, `read_user`,
    `delete_user`) has a `Depends` default. The same check finds the Avoid's
    `count_users(session=Depends(get_db))`, and ruff reports `B008` and `FAST002` on that line
    (FastAPI's rules added with `--extend-select FAST002`) and nothing in the app's routers."""
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
