"""Contract of the /users resource: status codes, body shapes, validation 422s, 401/403, the
not-found path, and sensitive fields absent from every response."""

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.security import verify_password
from app.db.session import get_db
from app.models import User
from tests.app.factories import PASSWORD, UserFactory

# Exactly what a client may see of a user: no hashed_password, no is_admin.
USER_FIELDS = {"id", "email", "full_name", "is_active", "created_at"}
NEW_PASSWORD = "a brand new passphrase"


def locs(response: httpx.Response) -> list[list[str | int]]:
    return [error["loc"] for error in response.json()["detail"]]


def error_types(response: httpx.Response) -> list[str]:
    return [error["type"] for error in response.json()["detail"]]


async def count_users(session: AsyncSession, email: str) -> int:
    stmt = select(func.count()).select_from(User).where(User.email == email)
    return (await session.execute(stmt)).scalar_one()


# --- POST /users -------------------------------------------------------------------------------


async def test_create_returns_201_and_the_new_user(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    response = await client.post(
        "/users",
        json={"email": "Ada@Example.com", "password": PASSWORD, "full_name": "  Ada Lovelace "},
    )

    assert response.status_code == status.HTTP_201_CREATED
    body = response.json()
    assert body.keys() == USER_FIELDS
    assert body["email"] == "ada@example.com"  # one address, one account: stored lower-case
    assert body["full_name"] == "Ada Lovelace"  # surrounding whitespace stripped
    assert body["is_active"] is True
    assert isinstance(datetime.fromisoformat(body["created_at"]), datetime)  # ISO 8601
    stored = (await db_session.scalars(select(User).where(User.id == body["id"]))).one()
    assert stored.hashed_password != PASSWORD
    assert verify_password(PASSWORD, stored.hashed_password)
    assert stored.is_admin is False


async def test_create_with_a_taken_email_is_409(
    client: httpx.AsyncClient, user: User, db_session: AsyncSession
) -> None:
    response = await client.post("/users", json={"email": "ADA@example.com", "password": PASSWORD})

    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json() == {"detail": "Email already registered"}
    assert await count_users(db_session, "ada@example.com") == 1


@pytest.mark.parametrize(
    ("body", "loc", "error_type"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, ["body", "email"], "value_error"),
        ({"email": "x@example.com", "password": "short"}, ["body", "password"], "string_too_short"),
        (
            {"email": "x@example.com", "password": "p" * 129},
            ["body", "password"],
            "string_too_long",
        ),
        (
            {"email": "x@example.com", "password": PASSWORD, "full_name": "n" * 201},
            ["body", "full_name"],
            "string_too_long",
        ),
        (
            {"email": "x@example.com", "password": PASSWORD, "full_name": "   "},
            ["body", "full_name"],
            "string_too_short",
        ),
        ({"password": PASSWORD}, ["body", "email"], "missing"),
        (
            {"email": "x@example.com", "password": PASSWORD, "is_admin": True},
            ["body", "is_admin"],
            "extra_forbidden",
        ),
    ],
    ids=[
        "bad-email",
        "short-password",
        "long-password",
        "long-name",
        "blank-name",
        "no-email",
        "is_admin",
    ],
)
async def test_create_rejects_invalid_bodies_with_422(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    body: dict[str, Any],
    loc: list[str],
    error_type: str,
) -> None:
    response = await client.post("/users", json=body)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert locs(response) == [loc]
    assert error_types(response) == [error_type]
    assert await db_session.scalar(select(func.count()).select_from(User)) == 0


# --- /users/me ---------------------------------------------------------------------------------


async def test_me_requires_a_token(client: httpx.AsyncClient) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(method, "/users/me")

        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json() == {"detail": "Not authenticated"}


async def test_me_returns_the_callers_account(
    client: httpx.AsyncClient, user: User, user_headers: dict[str, str]
) -> None:
    response = await client.get("/users/me", headers=user_headers)

    assert response.status_code == status.HTTP_200_OK
    body = response.json()
    assert body.keys() == USER_FIELDS
    assert body["id"] == user.id
    assert body["email"] == "ada@example.com"
    assert body["full_name"] == "Ada Lovelace"


async def test_update_me_changes_only_the_fields_sent(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    renamed = await client.patch(
        "/users/me", json={"full_name": "Augusta Ada King"}, headers=user_headers
    )
    assert renamed.status_code == status.HTTP_200_OK
    assert renamed.json()["full_name"] == "Augusta Ada King"
    assert renamed.json()["email"] == "ada@example.com"  # not sent, so kept

    cleared = await client.patch("/users/me", json={"full_name": None}, headers=user_headers)
    assert cleared.status_code == status.HTTP_200_OK
    assert cleared.json()["full_name"] is None
    assert cleared.json().keys() == USER_FIELDS

    moved = await client.patch(
        "/users/me",
        json={"email": "Countess@Example.com", "current_password": PASSWORD},
        headers=user_headers,
    )
    assert moved.json()["email"] == "countess@example.com"
    assert moved.json()["full_name"] is None  # not sent, so kept


async def test_update_me_to_a_taken_email_is_409(
    client: httpx.AsyncClient,
    users: UserFactory,
    user_headers: dict[str, str],
    db_session: AsyncSession,
) -> None:
    await users.create(email="taken@example.com")

    response = await client.patch(
        "/users/me",
        json={"email": "taken@example.com", "current_password": PASSWORD},
        headers=user_headers,
    )

    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json() == {"detail": "Email already registered"}
    assert await count_users(db_session, "taken@example.com") == 1
    assert await count_users(db_session, "ada@example.com") == 1


async def test_password_change_needs_the_current_password(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    alone = await client.patch("/users/me", json={"password": NEW_PASSWORD}, headers=user_headers)
    assert alone.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert locs(alone) == [["body"]]
    assert alone.json()["detail"][0]["msg"] == (
        "Value error, current_password is needed to change password or email, and only then"
    )

    wrong = await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": "not my password at all"},
        headers=user_headers,
    )
    assert wrong.status_code == status.HTTP_403_FORBIDDEN
    assert wrong.json() == {"detail": "Current password is incorrect"}


async def test_password_change_takes_effect_at_the_next_login(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    response = await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": PASSWORD},
        headers=user_headers,
    )
    assert response.status_code == status.HTTP_200_OK
    assert "password" not in response.text

    old = await client.post(
        "/auth/token", data={"username": "ada@example.com", "password": PASSWORD}
    )
    new = await client.post(
        "/auth/token", data={"username": "ada@example.com", "password": NEW_PASSWORD}
    )
    assert old.status_code == status.HTTP_401_UNAUTHORIZED
    assert new.status_code == status.HTTP_200_OK


async def test_update_me_rejects_unknown_fields(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    response = await client.patch("/users/me", json={"is_admin": True}, headers=user_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert locs(response) == [["body", "is_admin"]]


async def test_delete_me_is_204_and_the_token_stops_working(
    client: httpx.AsyncClient, user_headers: dict[str, str], db_session: AsyncSession
) -> None:
    response = await client.delete("/users/me", headers=user_headers)

    assert response.status_code == status.HTTP_204_NO_CONTENT
    assert response.content == b""
    assert await count_users(db_session, "ada@example.com") == 0
    again = await client.get("/users/me", headers=user_headers)
    assert again.status_code == status.HTTP_401_UNAUTHORIZED


# --- admin: GET /users, GET and DELETE /users/{id} ---------------------------------------------

ADMIN_ROUTES = [("GET", "/users"), ("GET", "/users/1"), ("DELETE", "/users/1")]


@pytest.mark.parametrize(("method", "url"), ADMIN_ROUTES)
async def test_admin_routes_are_401_without_a_token(
    client: httpx.AsyncClient, method: str, url: str
) -> None:
    response = await client.request(method, url)

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "url"), ADMIN_ROUTES)
async def test_admin_routes_are_403_for_other_users(
    client: httpx.AsyncClient, user_headers: dict[str, str], method: str, url: str
) -> None:
    response = await client.request(method, url, headers=user_headers)

    assert response.status_code == status.HTTP_403_FORBIDDEN
    assert response.json() == {"detail": "Admin privileges required"}


async def test_list_pages_through_users_in_id_order(
    client: httpx.AsyncClient, users: UserFactory, admin: User, admin_headers: dict[str, str]
) -> None:
    created = [await users.create() for _ in range(4)]
    ids = [admin.id, *(user.id for user in created)]

    first = await client.get("/users", params={"size": 2}, headers=admin_headers)
    last = await client.get("/users", params={"size": 2, "page": 3}, headers=admin_headers)
    beyond = await client.get("/users", params={"size": 2, "page": 4}, headers=admin_headers)

    assert first.status_code == status.HTTP_200_OK
    assert first.json()["total"] == 5
    assert (first.json()["page"], first.json()["size"]) == (1, 2)
    assert [item["id"] for item in first.json()["items"]] == ids[:2]
    assert [item["id"] for item in last.json()["items"]] == ids[4:]
    assert beyond.json() == {"items": [], "total": 5, "page": 4, "size": 2}
    assert all(item.keys() == USER_FIELDS for item in first.json()["items"])


async def test_list_filters_by_part_of_email_or_name(
    client: httpx.AsyncClient, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    await users.create(email="linus@example.com", full_name="Linus")
    await users.create(email="margaret@example.com", full_name="Margaret Hamilton")
    await users.create(email="percent@example.com", full_name="100% sure")

    by_name = await client.get("/users", params={"q": "HAMIL"}, headers=admin_headers)
    by_email = await client.get("/users", params={"q": "linus@"}, headers=admin_headers)
    # `%` is matched literally, not as a LIKE wildcard that would match everyone.
    literal = await client.get("/users", params={"q": "%"}, headers=admin_headers)

    assert [u["email"] for u in by_name.json()["items"]] == ["margaret@example.com"]
    assert [u["email"] for u in by_email.json()["items"]] == ["linus@example.com"]
    assert [u["email"] for u in literal.json()["items"]] == ["percent@example.com"]
    assert literal.json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "loc", "error_type"),
    [
        ({"page": 0}, ["query", "page"], "greater_than_equal"),
        ({"page": -1}, ["query", "page"], "greater_than_equal"),
        ({"size": 0}, ["query", "size"], "greater_than_equal"),
        ({"size": 101}, ["query", "size"], "less_than_equal"),
        ({"page": "two"}, ["query", "page"], "int_parsing"),
        ({"q": "x" * 51}, ["query", "q"], "string_too_long"),
    ],
)
async def test_list_rejects_invalid_query_params_with_422(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    params: dict[str, Any],
    loc: list[str],
    error_type: str,
) -> None:
    response = await client.get("/users", params=params, headers=admin_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert locs(response) == [loc]
    assert error_types(response) == [error_type]


async def test_admin_reads_a_user_by_id(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    response = await client.get(f"/users/{user.id}", headers=admin_headers)

    assert response.status_code == status.HTTP_200_OK
    assert response.json().keys() == USER_FIELDS
    assert response.json()["email"] == "ada@example.com"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_unknown_user_id_is_404(
    client: httpx.AsyncClient, admin: User, admin_headers: dict[str, str], method: str
) -> None:
    response = await client.request(method, f"/users/{admin.id + 1000}", headers=admin_headers)

    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert response.json() == {"detail": "User not found"}


async def test_user_id_must_be_positive(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.get("/users/0", headers=admin_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert locs(response) == [["path", "user_id"]]
    assert error_types(response) == ["greater_than"]


async def test_admin_deletes_a_user(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str], db_session: AsyncSession
) -> None:
    response = await client.delete(f"/users/{user.id}", headers=admin_headers)

    assert response.status_code == status.HTTP_204_NO_CONTENT
    assert response.content == b""
    assert await count_users(db_session, "ada@example.com") == 0


# --- what never leaves the server --------------------------------------------------------------


async def test_no_response_or_schema_exposes_the_password_hash(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    """Collects the responses of `GET /users`, `GET /users/{id}`, `GET /users/me` and
    `POST /users` and the OpenAPI document: none contains `hashed_password` or `$argon2id$`,
    and `UserRead`'s properties are exactly the five public fields."""
    responses = [
        await client.get("/users", headers=admin_headers),
        await client.get(f"/users/{user.id}", headers=admin_headers),
        await client.get("/users/me", headers=admin_headers),
        await client.post("/users", json={"email": "new@example.com", "password": PASSWORD}),
    ]
    openapi = await client.get("/openapi.json")

    for response in [*responses, openapi]:
        assert response.is_success
        assert "hashed_password" not in response.text
        assert "$argon2id$" not in response.text
    read_schema = openapi.json()["components"]["schemas"]["UserRead"]
    assert read_schema["properties"].keys() == USER_FIELDS


@pytest.mark.commits
async def test_two_sign_ups_racing_for_one_email_get_201_and_409(
    asgi_app: FastAPI, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Sends two sign-ups for one email at once to the reference app, each request on its own
    connection with real commits: one `201`, one `409`, and one row in the table."""

    # Real commits on separate connections: each request gets a session of its own.
    async def own_session() -> AsyncIterator[AsyncSession]:
        async with session_factory() as session:
            yield session

    asgi_app.dependency_overrides[get_db] = own_session
    transport = httpx.ASGITransport(app=asgi_app)
    body = {"email": "race@example.com", "password": PASSWORD}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = await asyncio.gather(*(client.post("/users", json=body) for _ in range(2)))

    assert sorted(r.status_code for r in responses) == [201, 409]
    async with session_factory() as session:
        assert await count_users(session, "race@example.com") == 1
