"""Proofs for schemas/separate-schemas: one schema shared by request and response lets a client
set internal fields and returns the password hash; a request and a response model per operation
accept and return only what they list."""

from typing import Any

import httpx
from fastapi import status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.schemas.separate_schemas import avoid
from tests.app.fixtures import Serve
from tests.evidence import Evidence, masked

SIGN_UP = {"email": "mallory@example.com", "password": "correct horse battery staple"}
USER_FIELDS = {"id", "email", "full_name", "is_active", "created_at"}


def schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    return dict(openapi["components"]["schemas"])


def body_schema(openapi: dict[str, Any], path: str, method: str) -> str:
    operation = openapi["paths"][path][method]
    return str(operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])


async def stored_is_admin(session: AsyncSession, email: str) -> bool:
    return (await session.scalars(select(User.is_admin).where(User.email == email))).one()


async def test_shared_schema_lets_a_client_make_itself_admin(
    serve: Serve, db_session: AsyncSession, evidence: Evidence
) -> None:
    """A sign-up with `"is_admin": true` posted to the Avoid: `201`, `is_admin` is `true` in
    the body, and the row in PostgreSQL has `is_admin = true`."""
    async with serve(avoid.router) as client:
        response = await client.post("/users", json=SIGN_UP | {"is_admin": True})

    assert response.status_code == status.HTTP_201_CREATED
    assert await stored_is_admin(db_session, "mallory@example.com") is True
    assert response.json()["is_admin"] is True
    evidence.add(
        masked(response, id="<id>", created_at="<created_at>"),
        'POST /users with "is_admin": true, served by the Avoid',
    )


async def test_shared_schema_returns_the_password_hash(serve: Serve, evidence: Evidence) -> None:
    """A plain sign-up posted to the Avoid: the body's `hashed_password` starts with
    `$argon2id$` and `password` is `null`. The OpenAPI document says the same: the request body
    and the `201` response are both `UserSchema`, whose properties include `id`,
    `hashed_password`, `is_admin` and `is_active`."""
    async with serve(avoid.router) as client:
        response = await client.post("/users", json=SIGN_UP)
        openapi = (await client.get("/openapi.json")).json()

    body = response.json()
    assert body["hashed_password"].startswith("$argon2id$")
    assert body["password"] is None
    evidence.add(
        masked(response, id="<id>", created_at="<created_at>"),
        "POST /users, served by the Avoid",
    )
    # The contract says so too: one schema, which the request may set and the response returns.
    created = openapi["paths"]["/users"]["post"]["responses"]["201"]["content"]
    assert body_schema(openapi, "/users", "post") == "#/components/schemas/UserSchema"
    assert created["application/json"]["schema"] == {"$ref": "#/components/schemas/UserSchema"}
    shared = schemas(openapi)["UserSchema"]["properties"].keys()
    assert {"id", "hashed_password", "is_admin", "is_active"} <= shared
    evidence.add(
        f"request body: {body_schema(openapi, '/users', 'post')}\n"
        f"201 response: {created['application/json']['schema']['$ref']}\n"
        f"UserSchema properties: {', '.join(shared)}",
        "POST /users in the Avoid's OpenAPI document",
    )


async def test_a_model_per_operation_accepts_and_returns_only_its_fields(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    """The same two requests against the reference app: with `is_admin`, `422` with one error,
    `["body", "is_admin"]`, `extra_forbidden`; without it, `201` with exactly `id`, `email`,
    `full_name`, `is_active` and `created_at`, and `is_admin` is `false` in PostgreSQL. The
    OpenAPI document names `UserCreate` as the body of `POST /users` (properties `email`,
    `password`, `full_name`; `additionalProperties: false`), `UserUpdate` as the body of
    `PATCH /users/me` (`email`, `full_name`, `password`, `current_password`) and `UserRead`
    with the five fields above."""
    sneaky = await client.post("/users", json=SIGN_UP | {"is_admin": True})
    created = await client.post("/users", json=SIGN_UP)
    openapi = (await client.get("/openapi.json")).json()

    assert sneaky.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert [(e["loc"], e["type"]) for e in sneaky.json()["detail"]] == [
        (["body", "is_admin"], "extra_forbidden")
    ]
    assert created.status_code == status.HTTP_201_CREATED
    assert created.json().keys() == USER_FIELDS
    assert await stored_is_admin(db_session, "mallory@example.com") is False
    # Each operation's contract lists its own fields, and only those.
    components = schemas(openapi)
    assert body_schema(openapi, "/users", "post") == "#/components/schemas/UserCreate"
    assert body_schema(openapi, "/users/me", "patch") == "#/components/schemas/UserUpdate"
    assert components["UserCreate"]["properties"].keys() == {"email", "password", "full_name"}
    assert components["UserUpdate"]["properties"].keys() == {
        "email",
        "full_name",
        "password",
        "current_password",
    }
    assert components["UserRead"]["properties"].keys() == USER_FIELDS
    assert components["UserCreate"]["additionalProperties"] is False


async def test_an_update_with_an_unknown_field_is_a_422(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    user: User,
    user_headers: dict[str, str],
) -> None:
    """The reference app's `PATCH /users/me` with a misspelt field (`ful_name`) and with a
    field no client may set (`is_admin`): each is a `422` with one error, `["body", <field>]`,
    `extra_forbidden`, and the user is still not an admin in PostgreSQL; spelt right, the same
    update is a `200`. `UserUpdate` in the OpenAPI document has `additionalProperties:
    false`."""
    # A misspelt field and a field the client may not set: each named in a 422, nothing changed.
    misspelt = await client.patch("/users/me", json={"ful_name": "Ada"}, headers=user_headers)
    sneaky = await client.patch("/users/me", json={"is_admin": True}, headers=user_headers)
    renamed = await client.patch("/users/me", json={"full_name": "Ada"}, headers=user_headers)
    openapi = (await client.get("/openapi.json")).json()

    for response, field in ((misspelt, "ful_name"), (sneaky, "is_admin")):
        assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
        assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
            (["body", field], "extra_forbidden")
        ]
    assert renamed.status_code == status.HTTP_200_OK  # the same request, spelt right
    assert renamed.json()["full_name"] == "Ada"
    assert await stored_is_admin(db_session, "ada@example.com") is False
    assert schemas(openapi)["UserUpdate"]["additionalProperties"] is False
