"""Proofs for dependencies/guard-dependencies: a guard in `dependencies=[...]` rejects with 403
before the endpoint runs; a guard that returns False instead of raising lets everyone through,
and a guard passed as a parameter is a parameter nobody reads."""

import inspect
from pathlib import Path
from typing import get_args, get_type_hints

import httpx
from fastapi import APIRouter, status
from fastapi.params import Depends
from fastapi.routing import APIRoute

from app.api.deps import require_admin
from app.api.routers import users as users_router
from app.models import User
from snippets.dependencies.guard_dependencies import avoid, do
from tests.app.factories import UserFactory
from tests.app.fixtures import Serve
from tests.evidence import Evidence
from tests.lint import ROOT, line_of, ruff_diagnostics, ruff_findings

FORBIDDEN = {"detail": "Admin privileges required"}
# The reference app's admin-only operations (the `admin` region of its users router).
ADMIN_OPERATIONS = {("GET", "/users"), ("GET", "/users/{user_id}"), ("DELETE", "/users/{user_id}")}


def is_guard(marker: object) -> bool:
    return isinstance(marker, Depends) and marker.dependency is require_admin


def guard_placement(router: APIRouter) -> dict[tuple[str, str], tuple[bool, list[str]]]:
    """Per operation that `require_admin` guards: whether the guard is in its
    `dependencies=[...]` (the router's or its own), and the endpoint parameters that take it
    (through `Annotated[..., Depends(require_admin)]` or a `Depends(require_admin)` default)."""
    placement = {}
    for route in router.routes:
        assert isinstance(route, APIRoute)
        listed = any(is_guard(marker) for marker in route.dependencies)
        hints = get_type_hints(route.endpoint, include_extras=True)
        parameters = [
            name
            for name, parameter in inspect.signature(route.endpoint).parameters.items()
            if is_guard(parameter.default) or any(map(is_guard, get_args(hints.get(name))[1:]))
        ]
        if listed or parameters:
            for method in sorted(route.methods or ()):
                placement[method, route.path] = (listed, parameters)
    return placement


async def test_router_guard_rejects_non_admins_with_403(
    serve: Serve, user_headers: dict[str, str]
) -> None:
    """Served by the Do router, `GET /admin/stats` without a token is `401`; as a regular user
    it is `403`, `{"detail": "Admin privileges required"}`."""
    async with serve(do.router) as client:
        anonymous = await client.get("/admin/stats")
        member = await client.get("/admin/stats", headers=user_headers)

    assert anonymous.status_code == status.HTTP_401_UNAUTHORIZED  # authentication comes first
    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert member.json() == FORBIDDEN


async def test_router_guard_lets_admins_through(
    serve: Serve, users: UserFactory, admin: User, admin_headers: dict[str, str]
) -> None:
    """As an admin it is `200`, counting the users in PostgreSQL: `{"total": 2, "active": 1,
    "admins": 1}`."""
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
    """The same guard on the app's `GET /users/{id}` gives a regular user `403` with the same
    detail, and an admin `200`."""
    member = await client.get(f"/users/{user.id}", headers=user_headers)
    admin = await client.get(f"/users/{user.id}", headers=admin_headers)

    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert member.json() == FORBIDDEN
    assert admin.status_code == status.HTTP_200_OK


async def test_guard_returning_false_lets_everyone_through(
    serve: Serve, user: User, user_headers: dict[str, str], evidence: Evidence
) -> None:
    """The Avoid's `is_admin` returns `False` for a regular user, whose request to `GET
    /admin/users/emails` is nevertheless `200`, listing every email."""
    async with serve(avoid.router) as client:
        response = await client.get("/admin/users/emails", headers=user_headers)

    # `is_admin` answered False for this user; FastAPI discarded the answer.
    assert user.is_admin is False
    assert response.status_code == status.HTTP_200_OK
    assert response.json() == ["ada@example.com"]
    evidence.add(f"user.is_admin: {user.is_admin}", "The guard's answer for a regular user")
    evidence.add(response, "GET /admin/users/emails as that user, served by the Avoid")


async def test_guard_as_a_parameter_works_but_is_never_read(
    serve: Serve, admin_headers: dict[str, str], user_headers: dict[str, str], evidence: Evidence
) -> None:
    """`GET /admin/users/count` gives a regular user `403` and an admin `2`; nothing fails at
    run time."""
    async with serve(avoid.router) as client:
        member = await client.get("/admin/users/count", headers=user_headers)
        admin = await client.get("/admin/users/count", headers=admin_headers)
    assert member.status_code == status.HTTP_403_FORBIDDEN
    assert admin.json() == 2  # the admin and the member
    evidence.add(member, "GET /admin/users/count as a regular user, served by the Avoid")
    evidence.add(admin, "GET /admin/users/count as an admin")


def test_guards_sit_in_dependencies_never_in_a_signature() -> None:
    """The routes FastAPI built: the Do's `GET /admin/stats` and the app's three admin
    operations (`GET /users`, `GET` and `DELETE /users/{user_id}`) list `require_admin` in
    their `dependencies`, and no endpoint parameter takes it (neither `Annotated[...,
    Depends(require_admin)]` nor a `Depends` default); the Avoid's `GET /admin/users/count` is
    told apart, its guard being the parameter `admin`. Ruff's flake8-unused-arguments
    (`--select ARG`) finds nothing in the Do's two files."""
    # Every operation the Do guards lists `require_admin` in `dependencies=[...]`, and no
    # endpoint takes it as a parameter: moving it into a signature fails here, though the
    # endpoint would still answer 403.
    assert guard_placement(do.router) == {("GET", "/admin/stats"): (True, [])}
    assert guard_placement(users_router.router) == dict.fromkeys(ADMIN_OPERATIONS, (True, []))
    # The same check tells the Avoid's parameter apart.
    assert guard_placement(avoid.router) == {("GET", "/admin/users/count"): (False, ["admin"])}
    # And flake8-unused-arguments finds no argument left unread in the Do's files.
    for path in (Path(do.__file__), ROOT / "src/app/api/routers/users.py"):
        assert ruff_findings(path, "--select", "ARG") == [], path


def test_guard_as_a_parameter_is_an_unused_argument(evidence: Evidence) -> None:
    """Ruff with flake8-unused-arguments (`--select ARG`) on the Avoid: exactly one finding,
    `ARG001` "Unused function argument: `admin`"."""
    # Nothing fails at run time: the sign is an argument never read (flake8-unused-arguments).
    avoid_path = Path(avoid.__file__)
    unused = [(d["code"], d["message"]) for d in ruff_diagnostics(avoid_path, "--select", "ARG")]
    assert unused == [("ARG001", "Unused function argument: `admin`")]
    findings = ruff_findings(avoid_path, "--select", "ARG")
    assert findings == [
        (line_of(avoid_path, "admin: Annotated[None, Depends(require_admin)]"), "ARG001")
    ]
    shown = avoid_path.relative_to(ROOT)
    evidence.add(
        "\n".join(
            f"{shown}:{line}: {code} {message}"
            for (line, code), (_, message) in zip(findings, unused, strict=True)
        ),
        f"ruff check --select ARG {shown}",
    )
