"""Proofs for routers/explicit-response-model: with `response_model` and `status_code`, the
OpenAPI document states each operation's status and body, and the body holds only the model's
fields; without them, the ORM object is serialised whole and the document promises nothing."""

import re
from typing import Any

import httpx
from fastapi import status

from app.models import User
from snippets.routers.explicit_response_model import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence, describe_response

SIGN_UP = {"email": "new@example.com", "password": PASSWORD}


def responses(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return {
        code: response.get("content", {}).get("application/json", {}).get("schema")
        for code, response in openapi["paths"][path][method]["responses"].items()
    }


def shown(response: httpx.Response) -> str:
    """The response as evidence, with what changes from run to run masked: the row's id, its
    timestamp, and the length they give the body."""
    text = describe_response(response)
    masked = re.sub(r'"id": \d+', '"id": "<id>"', text)
    masked = re.sub(r'"created_at": "[^"]+"', '"created_at": "<created_at>"', masked)
    if masked == text:
        return text
    return re.sub(r"content-length: \d+", "content-length: <length>", masked)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


async def test_openapi_states_each_operations_status_and_body(client: httpx.AsyncClient) -> None:
    """Reads the reference app's OpenAPI document: `POST /users` documents `201` → `UserRead`,
    `422` → `InvalidRequest` (the app's validation body, without `input`) and `400`, `409`,
    `413`, `503` → `ErrorBody`; `GET /users` `200` → `UserPage`; `GET /users/me` `200` →
    `UserRead`, and `401` and `503` → `ErrorBody` and a text `400`; `DELETE /users/me` `204`,
    with no body, and the same errors; `POST /auth/token` `200` → `Token`."""
    openapi = (await client.get("/openapi.json")).json()

    # Each error too, with the app's own bodies (app/api/responses.py); a foreign Host's 400
    # is text, so it has no JSON schema.
    errors = {"400": None, "401": ref("ErrorBody"), "503": ref("ErrorBody")}
    assert responses(openapi, "/users", "post") == {
        "201": ref("UserRead"),
        "400": ref("ErrorBody"),
        "409": ref("ErrorBody"),
        "413": ref("ErrorBody"),
        "422": ref("InvalidRequest"),
        "503": ref("ErrorBody"),
    }
    assert responses(openapi, "/users", "get")["200"] == ref("UserPage")
    assert responses(openapi, "/users/me", "get") == {"200": ref("UserRead")} | errors
    assert responses(openapi, "/users/me", "delete") == {"204": None} | errors
    assert responses(openapi, "/users/{user_id}", "delete")["204"] is None
    assert responses(openapi, "/auth/token", "post")["200"] == ref("Token")


async def test_response_model_filters_the_returned_orm_object(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    """Creating a user (`201`) and reading `/users/me` both return exactly `id`, `email`,
    `full_name`, `is_active` and `created_at`."""
    created = await client.post("/users", json=SIGN_UP)
    me = await client.get("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_201_CREATED
    for response in (created, me):
        assert response.json().keys() == {"id", "email", "full_name", "is_active", "created_at"}


async def test_without_a_response_model_the_orm_object_goes_out_whole(
    serve: Serve, user: User, user_headers: dict[str, str], evidence: Evidence
) -> None:
    """Serves the Avoid: creating a user answers `200`, and both responses carry
    `hashed_password` (`$argon2id$...`) and `is_admin`. Its OpenAPI document gives `POST /users`
    a `200` with the schema `{}` and `GET /users/me` a `200` with `{}`."""
    async with serve(avoid.router) as client:
        created = await client.post("/users", json=SIGN_UP)
        me = await client.get("/users/me", headers=user_headers)
        openapi = (await client.get("/openapi.json")).json()

    # 200, not 201; and every loaded column, the password hash and the admin flag included.
    assert created.status_code == status.HTTP_200_OK
    for response in (created, me):
        assert response.json()["hashed_password"].startswith("$argon2id$")
        assert "is_admin" in response.json()
    evidence.add(shown(created), "POST /users, served by the Avoid")
    evidence.add(shown(me), "GET /users/me, served by the Avoid")
    # The contract promises nothing: an empty schema, under the default 200.
    assert responses(openapi, "/users", "post") == {"200": {}, "422": ref("HTTPValidationError")}
    assert responses(openapi, "/users/me", "get") == {"200": {}}
    evidence.add(
        "\n".join(
            f"{method.upper()} {path}: {responses(openapi, path, method)}"
            for path, method in (("/users", "post"), ("/users/me", "get"))
        ),
        "Its OpenAPI responses: status → body schema",
    )
