"""Proofs for routers/explicit-response-model: with `response_model` and `status_code`, the
OpenAPI document states each operation's status and body, and the body holds only the model's
fields; without them, the ORM object is serialised whole and the document promises nothing."""

from typing import Any

import httpx
from fastapi import status

from app.models import User
from snippets.routers.explicit_response_model import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve

SIGN_UP = {"email": "new@example.com", "password": PASSWORD}


def responses(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return {
        code: response.get("content", {}).get("application/json", {}).get("schema")
        for code, response in openapi["paths"][path][method]["responses"].items()
    }


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


async def test_openapi_states_each_operations_status_and_body(client: httpx.AsyncClient) -> None:
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
    created = await client.post("/users", json=SIGN_UP)
    me = await client.get("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_201_CREATED
    for response in (created, me):
        assert response.json().keys() == {"id", "email", "full_name", "is_active", "created_at"}


async def test_without_a_response_model_the_orm_object_goes_out_whole(
    serve: Serve, user: User, user_headers: dict[str, str]
) -> None:
    async with serve(avoid.router) as client:
        created = await client.post("/users", json=SIGN_UP)
        me = await client.get("/users/me", headers=user_headers)
        openapi = (await client.get("/openapi.json")).json()

    # 200, not 201; and every loaded column, the password hash and the admin flag included.
    assert created.status_code == status.HTTP_200_OK
    for response in (created, me):
        assert response.json()["hashed_password"].startswith("$argon2id$")
        assert "is_admin" in response.json()
    # The contract promises nothing: an empty schema, under the default 200.
    assert responses(openapi, "/users", "post") == {"200": {}, "422": ref("HTTPValidationError")}
    assert responses(openapi, "/users/me", "get") == {"200": {}}
