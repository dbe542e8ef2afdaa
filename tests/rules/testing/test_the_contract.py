"""Proofs for testing/test-the-contract: the reference app's contract tests fail on each of five
regressions (a missing admin guard, a missing token check, a leaked password hash, a missing
404, a missing 422) that a suite of status-only happy-path tests passes."""

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

import tests.app.test_users as contract
from app.api.deps import CurrentUser, require_admin
from app.api.routers import auth, users
from app.db.session import get_db
from app.main import add_exception_handlers, create_app
from app.models import User
from snippets.testing.test_the_contract import avoid
from tests.app.factories import PASSWORD
from tests.evidence import Evidence

type Fixtures = dict[str, Any]


def without_admin_guard() -> FastAPI:
    app = create_app()
    app.dependency_overrides[require_admin] = lambda: None
    return app


def with_front_routes(add: Callable[[FastAPI], None]) -> Callable[[], FastAPI]:
    """The reference app, with a changed route registered ahead of the real ones."""

    def build() -> FastAPI:
        app = FastAPI()
        add(app)
        app.include_router(auth.router)
        app.include_router(users.router)
        add_exception_handlers(app)
        return app

    return build


def leaking_me(app: FastAPI) -> None:
    @app.get("/users/me", response_model=None)
    async def read_me(user: CurrentUser) -> dict[str, Any]:
        return {column.key: getattr(user, column.key) for column in inspect(User).columns}


def open_me(app: FastAPI) -> None:
    @app.api_route("/users/me", methods=["GET", "PATCH", "DELETE"], response_model=None)
    async def me() -> dict[str, Any]:
        return {}


def finding_anyone(app: FastAPI) -> None:
    @app.get("/users/{user_id:int}", response_model=None)
    async def read_user(user_id: int) -> dict[str, Any]:
        return {}


def ignoring_bad_paging(app: FastAPI) -> None:
    @app.get("/users", response_model=None)
    async def list_users(page: str = "1", size: str = "20") -> dict[str, Any]:
        return {"items": [], "total": 0, "page": page, "size": size}


# Each regression, and the contract test that catches it.
REGRESSIONS: dict[str, tuple[Callable[[], FastAPI], Callable[[Fixtures], Awaitable[None]]]] = {
    "admin guard removed": (
        without_admin_guard,
        lambda f: contract.test_admin_routes_are_403_for_other_users(
            f["client"], f["user_headers"], "GET", "/users"
        ),
    ),
    "token not required": (
        with_front_routes(open_me),
        lambda f: contract.test_me_requires_a_token(f["client"]),
    ),
    "password hash leaked": (
        with_front_routes(leaking_me),
        lambda f: contract.test_me_returns_the_callers_account(
            f["client"], f["user"], f["user_headers"]
        ),
    ),
    "missing user found": (
        with_front_routes(finding_anyone),
        lambda f: contract.test_unknown_user_id_is_404(
            f["client"], f["admin"], f["admin_headers"], "GET"
        ),
    ),
    "validation dropped": (
        with_front_routes(ignoring_bad_paging),
        lambda f: contract.test_list_rejects_invalid_query_params_with_422(
            f["client"], f["admin_headers"], {"size": 0}, ["query", "size"], "greater_than_equal"
        ),
    ),
}


@pytest.fixture
def fixtures(
    db_session: AsyncSession,
    user: User,
    admin: User,
    user_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> Fixtures:
    return {
        "db_session": db_session,
        "user": user,
        "admin": admin,
        "user_headers": user_headers,
        "admin_headers": admin_headers,
    }


async def serving(app: FastAPI, fixtures: Fixtures) -> AsyncIterator[httpx.AsyncClient]:
    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield fixtures["db_session"]

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def run_avoid_suite(f: Fixtures) -> None:
    await avoid.test_create_user(f["client"])
    await avoid.test_read_me(f["client"], f["user_headers"])
    await avoid.test_list_users(f["client"], f["admin_headers"])
    await avoid.test_read_user(f["client"], f["user"], f["admin_headers"])


@pytest.mark.parametrize("regression", REGRESSIONS)
async def test_contract_tests_pass_on_the_reference_app(
    fixtures: Fixtures, regression: str
) -> None:
    """On the real app, each contract test passes, and so do the four Avoid tests."""
    _, contract_test = REGRESSIONS[regression]
    async for client in serving(create_app(), fixtures):
        f = fixtures | {"client": client}
        await contract_test(f)
        await run_avoid_suite(f)


@pytest.mark.parametrize("regression", REGRESSIONS)
async def test_only_the_contract_tests_catch_the_regression(
    fixtures: Fixtures, regression: str, evidence: Evidence
) -> None:
    """For each regression the Avoid's four tests still pass, and one contract test fails with
    an `AssertionError`."""
    build, contract_test = REGRESSIONS[regression]
    async for client in serving(build(), fixtures):
        f = fixtures | {"client": client}
        await run_avoid_suite(f)  # all green
        evidence.add(
            "test_create_user, test_read_me, test_list_users, test_read_user: passed",
            f"The Avoid's four status-only tests, on the app with the {regression}",
        )

        with pytest.raises(AssertionError) as error:
            await contract_test(f)
        # pytest's own words for a plain comparison; a longer one it shortens by verbosity.
        (name,) = [n for n in contract_test.__code__.co_names if n.startswith("test_")]
        first = str(error.value).splitlines()[0]
        shown = first if re.fullmatch(r"assert \d+ == \d+", first) else "(a longer comparison)"
        evidence.add(f"{name}: AssertionError: {shown}", "The contract test that catches it")


async def test_leaked_regression_really_leaks(fixtures: Fixtures) -> None:
    """The leaking version's `/users/me` returns a `hashed_password` starting `$argon2id$`, and
    `is_admin`."""
    async for client in serving(with_front_routes(leaking_me)(), fixtures):
        body = (await client.get("/users/me", headers=fixtures["user_headers"])).json()
    assert body["hashed_password"].startswith("$argon2id$")
    assert body["is_admin"] is False
    assert PASSWORD not in body.values()
