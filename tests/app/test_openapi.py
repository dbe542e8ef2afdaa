"""The OpenAPI schema says what the app does: each status an operation answers is listed with the
body and headers it really sends, and a method a path does not serve gets 405 naming every
method it does serve."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, status

from app.models import User
from tests.app.factories import PASSWORD

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
OPERATIONS = {
    ("post", "/auth/token"): {200, 400, 401, 413, 422, 429, 503},
    ("post", "/users"): {201, 400, 409, 413, 422, 503},
    ("get", "/users"): {200, 400, 401, 403, 422, 503},
    ("get", "/users/me"): {200, 400, 401, 503},
    ("patch", "/users/me"): {200, 400, 401, 403, 409, 413, 422, 503},
    ("delete", "/users/me"): {204, 400, 401, 503},
    ("get", "/users/{user_id}"): {200, 400, 401, 403, 404, 422, 503},
    ("delete", "/users/{user_id}"): {204, 400, 401, 403, 404, 422, 503},
}


def responses(app: FastAPI, method: str, path: str) -> dict[str, Any]:
    documented: dict[str, Any] = app.openapi()["paths"][path][method]["responses"]
    return documented


def test_every_operation_lists_every_status_it_answers(asgi_app: FastAPI) -> None:
    paths = asgi_app.openapi()["paths"]
    served = {(method, path) for path, item in paths.items() for method in item}

    assert served == set(OPERATIONS)
    for (method, path), statuses in OPERATIONS.items():
        assert set(responses(asgi_app, method, path)) == {str(code) for code in statuses}, path


def test_error_bodies_are_the_apps_own_models(asgi_app: FastAPI) -> None:
    schema = asgi_app.openapi()
    components = schema["components"]["schemas"]
    me = responses(asgi_app, "patch", "/users/me")

    assert components["ErrorBody"] == {
        "additionalProperties": False,
        "description": "What every error but 422 answers: a fixed message, never an echo of "
        "the input.",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
        "title": "ErrorBody",
        "type": "object",
    }
    # The 422 body of main.invalid_request: no `input`, no `ctx`, nothing else.
    assert components["InvalidField"]["additionalProperties"] is False
    assert set(components["InvalidField"]["properties"]) == {"type", "loc", "msg"}
    assert me["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvalidRequest"
    }
    assert "HTTPValidationError" not in components  # FastAPI's default, which has `input`
    for code in ("401", "403", "409", "503"):
        assert me[code]["content"]["application/json"]["schema"] == ERROR_BODY
    # Starlette's middleware answers a foreign Host (and a declared oversize body) in text.
    assert me["400"]["content"]["text/plain"] == {"schema": {"type": "string"}}
    assert me["413"]["content"]["text/plain"] == {"schema": {"type": "string"}}


def test_401_429_and_503_document_their_headers(asgi_app: FastAPI) -> None:
    for (method, path), statuses in OPERATIONS.items():
        documented = responses(asgi_app, method, path)
        assert set(documented["503"]["headers"]) == {"Retry-After"}
        if 401 in statuses:
            assert documented["401"]["headers"]["WWW-Authenticate"]["required"] is True
    limited = responses(asgi_app, "post", "/auth/token")["429"]["headers"]["Retry-After"]
    assert limited == {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer"},
    }


# Each documented error, answered for real: status, headers and body.
async def test_401_without_a_token_carries_www_authenticate(client: httpx.AsyncClient) -> None:
    response = await client.get("/users/me")

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


async def test_403_for_a_user_on_an_admin_route(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    response = await client.get("/users", headers=user_headers)

    assert response.status_code == status.HTTP_403_FORBIDDEN
    assert response.json() == {"detail": "Admin privileges required"}


async def test_403_for_a_wrong_current_password(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    body = {"password": "a brand new passphrase", "current_password": "not my password"}
    response = await client.patch("/users/me", json=body, headers=user_headers)

    assert response.status_code == status.HTTP_403_FORBIDDEN
    assert response.json() == {"detail": "Current password is incorrect"}


async def test_404_for_an_unknown_id(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.get("/users/2147483647", headers=admin_headers)

    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert response.json() == {"detail": "User not found"}


async def test_409_for_a_taken_email(client: httpx.AsyncClient, user: User) -> None:
    response = await client.post("/users", json={"email": user.email, "password": PASSWORD})

    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json() == {"detail": "Email already registered"}


async def test_400_for_a_body_that_is_not_utf8(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    response = await client.post("/users", content=b'{"email": "\xff"}', headers=headers)

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json() == {"detail": "There was an error parsing the body"}


async def test_422_names_the_field_without_its_input(client: httpx.AsyncClient) -> None:
    response = await client.post("/users", json={"email": "ada@example.com", "password": "short"})

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert response.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["body", "password"],
                "msg": "String should have at least 12 characters",
            }
        ]
    }


async def test_429_after_the_login_limit_carries_retry_after(client: httpx.AsyncClient) -> None:
    form = {"username": "nobody@example.com", "password": "wrong password"}
    answers = [await client.post("/auth/token", data=form) for _ in range(6)]

    assert [a.status_code for a in answers] == [status.HTTP_401_UNAUTHORIZED] * 5 + [
        status.HTTP_429_TOO_MANY_REQUESTS
    ]
    assert answers[0].headers["WWW-Authenticate"] == "Bearer"
    assert answers[0].json() == {"detail": "Incorrect email or password"}
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert answers[-1].json() == {"detail": "Too many requests"}


# The path serves GET, PATCH and DELETE: a 405 lists all three, not only the first route's.
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/users/me", "DELETE, GET, PATCH"),
        ("PUT", "/users/me", "DELETE, GET, PATCH"),
        ("HEAD", "/users/me", "DELETE, GET, PATCH"),
        ("OPTIONS", "/users/1", "DELETE, GET"),
        ("DELETE", "/users", "GET, POST"),
        ("GET", "/auth/token", "POST"),
    ],
)
async def test_405_allows_every_method_the_path_serves(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED
    assert response.headers["Allow"] == allow
    if method != "HEAD":
        assert response.json() == {"detail": "Method Not Allowed"}
