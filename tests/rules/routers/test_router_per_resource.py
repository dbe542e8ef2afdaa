"""Proofs for routers/router-per-resource: the app mounts one APIRouter per resource, whose
prefix and tags every operation inherits; routes declared on the app each repeat their path and
are filed under no tag."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.routers import auth, users
from app.db.session import get_db
from app.main import create_app
from app.models import User
from snippets.routers.router_per_resource import avoid
from tests.app.factories import PASSWORD
from tests.evidence import Evidence

METHODS = {"get", "post", "put", "patch", "delete"}


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


async def test_every_operation_carries_its_routers_prefix_and_tag(
    client: httpx.AsyncClient,
) -> None:
    """Reads the reference app's OpenAPI document: `POST /auth/token` is tagged `auth`; the
    seven operations on `/users`, `/users/me` and `/users/{user_id}` are tagged `users`; there
    is nothing else."""
    openapi = (await client.get("/openapi.json")).json()

    tagged = {(path, method): op["tags"] for path, method, op in operations(openapi)}
    assert tagged == {
        ("/auth/token", "post"): ["auth"],
        ("/users", "post"): ["users"],
        ("/users", "get"): ["users"],
        ("/users/me", "get"): ["users"],
        ("/users/me", "patch"): ["users"],
        ("/users/me", "delete"): ["users"],
        ("/users/{user_id}", "get"): ["users"],
        ("/users/{user_id}", "delete"): ["users"],
    }


def test_create_app_mounts_one_router_per_resource() -> None:
    """`users.router` has prefix `/users` and tags `["users"]`, `auth.router` has `/auth` and
    `["auth"]`, every route on each starts with its prefix, and the operations `create_app()`
    serves are exactly the routes of the two routers."""
    served = {(path, method) for path, method, _ in operations(create_app().openapi())}

    declared: set[tuple[str, str]] = set()
    for router, prefix, tag in ((users.router, "/users", "users"), (auth.router, "/auth", "auth")):
        assert (router.prefix, router.tags) == (prefix, [tag])
        for route in router.routes:
            assert isinstance(route, APIRoute)
            assert route.path.startswith(prefix)  # the prefix is written once, on the router
            declared |= {(route.path, method.lower()) for method in route.methods or ()}
    # The app serves exactly the two routers' operations: nothing declared elsewhere.
    assert served == declared


async def test_routes_on_the_app_work_but_have_no_tags_and_drift(
    db_session: AsyncSession, user: User, user_headers: dict[str, str], evidence: Evidence
) -> None:
    """Serves the Avoid: create, `/me` and read by id answer `201`, `200`, `200` (nothing fails
    at run time), but none of its three operations has a tag, and its paths are
    `/user/{user_id}`, `/users` and `/users/me`."""
    app = avoid.create_app()

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = await client.post("/users", json={"email": "b@example.com", "password": PASSWORD})
        me = await client.get("/users/me", headers=user_headers)
        read = await client.get(f"/user/{user.id}")
        openapi = (await client.get("/openapi.json")).json()

    # Nothing fails at run time: the difference is in how the API is organised and described.
    assert [created.status_code, me.status_code, read.status_code] == [201, 200, 200]
    served = [(created, "POST /users"), (me, "GET /users/me"), (read, "GET /user/{user_id}")]
    evidence.add(
        "\n".join(f"{line}: {r.status_code} {r.reason_phrase}" for r, line in served),
        "The Avoid's three routes, called",
    )
    ops = operations(openapi)
    evidence.add(
        "\n".join(f"{method.upper()} {path}: tags {op.get('tags')}" for path, method, op in ops),
        "Its OpenAPI operations and their tags",
    )
    assert [op.get("tags") for _, _, op in ops] == [None, None, None]
    # Swagger UI files them all under "default"; and one path already drifted from the others.
    assert sorted(path for path, _, _ in ops) == ["/user/{user_id}", "/users", "/users/me"]
