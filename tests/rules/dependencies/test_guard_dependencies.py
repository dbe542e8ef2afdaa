"""Proofs for dependencies/guard-dependencies: a guard in `dependencies=[...]` rejects with 403
before the endpoint runs; a guard that returns False instead of raising lets everyone through,
and a guard passed as a parameter is a parameter nobody reads."""

import json
import subprocess

import httpx
from fastapi import status
from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

from app.models import User
from snippets.dependencies.guard_dependencies import avoid, do
from tests.app.factories import UserFactory
from tests.app.fixtures import Serve

FORBIDDEN = {"detail": "Admin privileges required"}


async def test_router_guard_rejects_non_admins_with_403(
    serve: Serve, user_headers: dict[str, str]
) -> None:
    async with serve(do.router) as client:
        anonymous = await client.get("/admin/stats")
        member = await client.get("/admin/stats", headers=user_headers)

    assert anonymous.status_code == status.HTTP_401_UNAUTHORIZED  # authentication comes first
    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert member.json() == FORBIDDEN


async def test_router_guard_lets_admins_through(
    serve: Serve, users: UserFactory, admin: User, admin_headers: dict[str, str]
) -> None:
    await users.create(is_active=False)

    async with serve(do.router) as client:
        response = await client.get("/admin/stats", headers=admin_headers)

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"total": 2, "active": 1, "admins": 1}


async def test_endpoint_guards_in_the_reference_app(
    client: httpx.AsyncClient,
    user: User,
    user_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    member = await client.get(f"/users/{user.id}", headers=user_headers)
    admin = await client.get(f"/users/{user.id}", headers=admin_headers)

    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert member.json() == FORBIDDEN
    assert admin.status_code == status.HTTP_200_OK


async def test_guard_returning_false_lets_everyone_through(
    serve: Serve, user: User, user_headers: dict[str, str]
) -> None:
    async with serve(avoid.router) as client:
        response = await client.get("/admin/users/emails", headers=user_headers)

    # `is_admin` answered False for this user; FastAPI discarded the answer.
    assert user.is_admin is False
    assert response.status_code == status.HTTP_200_OK
    assert response.json() == ["ada@example.com"]


async def test_guard_as_a_parameter_works_but_is_never_read(
    serve: Serve, admin_headers: dict[str, str], user_headers: dict[str, str]
) -> None:
    async with serve(avoid.router) as client:
        member = await client.get("/admin/users/count", headers=user_headers)
        admin = await client.get("/admin/users/count", headers=admin_headers)
    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert admin.json() == 2  # the admin and the member


def test_guard_as_a_parameter_is_an_unused_argument() -> None:
    # Nothing fails at run time: the sign is an argument never read (flake8-unused-arguments).
    assert avoid.__file__ is not None
    result = subprocess.run(
        [
            find_ruff_bin(),
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "ARG",
            "--output-format",
            "json",
            avoid.__file__,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = [(f["code"], f["message"]) for f in json.loads(result.stdout)]
    assert findings == [("ARG001", "Unused function argument: `admin`")]
