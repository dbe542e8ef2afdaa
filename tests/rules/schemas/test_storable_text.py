"""Proofs for schemas/storable-text: a NUL character in a plain `str` reaches PostgreSQL, whose
text cannot hold it, and fails in the driver (500); the reference app's `storable_text` refuses
it at the edge with a 422 naming the field."""

import httpx
import pytest
from fastapi import status
from sqlalchemy.exc import DBAPIError

from app.models import User
from snippets.schemas.storable_text import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence
from tests.rules.schemas.driver import driver_error

NUL_NAME = {"email": "nul@example.com", "password": PASSWORD, "full_name": "Ada\x00"}
NUL_ERROR = {"type": "value_error", "msg": "Value error, must not contain the NUL character"}
# What PostgreSQL answers, through asyncpg, for a text parameter holding NUL.
POSTGRES_NUL = 'invalid byte sequence for encoding "UTF8": 0x00'


async def test_nul_in_a_plain_str_fails_in_the_driver(serve: Serve, evidence: Evidence) -> None:
    """A sign-up with the full name `Ada` answers `201`; one with `"Ada\\x00"` raises a
    `DBAPIError` raised from asyncpg's `CharacterNotInRepertoireError`, with PostgreSQL's
    message `invalid byte sequence for encoding "UTF8": 0x00`."""
    async with serve(avoid.router) as client:
        created = await client.post("/users", json={**NUL_NAME, "full_name": "Ada"})
        with pytest.raises(DBAPIError) as raised:
            await client.post("/users", json={**NUL_NAME, "email": "nul2@example.com"})

    assert created.status_code == status.HTTP_201_CREATED  # the Avoid works for other text
    assert driver_error(raised.value) == "asyncpg.exceptions.CharacterNotInRepertoireError"
    assert POSTGRES_NUL in str(raised.value)
    evidence.add(raised.value, 'POST /users with "full_name": "Ada\\u0000", served by the Avoid')


async def test_nul_in_a_plain_str_query_is_a_500(
    serve: Serve, user: User, evidence: Evidence
) -> None:
    """`?q=Ada` finds `ada@example.com` (`200`); `?q=a\\x00` answers `500` with the bare body
    `Internal Server Error`, as a server answers an unhandled exception."""
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        found = await client.get("/users", params={"q": "Ada"})
        response = await client.get("/users", params={"q": "a\x00"})

    assert found.status_code == status.HTTP_200_OK
    assert [match["email"] for match in found.json()] == ["ada@example.com"]
    # As a server sends an unhandled exception: a bare 500, the search never answered.
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"
    evidence.add(response, "GET /users?q=a%00, served by the Avoid")


async def test_storable_text_refuses_nul_with_a_422_naming_the_field(
    client: httpx.AsyncClient, user_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    """On the reference app, the same NUL name in a sign-up and in `PATCH /users/me`, and in
    the admin's `?q=`, each answer `422` with exactly one error: `{"type": "value_error",
    "loc": [..., "full_name" or "q"], "msg": "Value error, must not contain the NUL
    character"}`. A name `"José\\tX\\x01"` is stored and returned as sent (`201`)."""
    sign_up = await client.post("/users", json=NUL_NAME)
    update = await client.patch("/users/me", json={"full_name": "Ada\x00"}, headers=user_headers)
    search = await client.get("/users", params={"q": "a\x00"}, headers=admin_headers)
    # Other control characters and any other Unicode text are stored as sent.
    stored = await client.post(
        "/users",
        json={"email": "tab@example.com", "password": PASSWORD, "full_name": "Jos\u00e9\tX\x01"},
    )

    assert sign_up.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert sign_up.json() == {"detail": [{**NUL_ERROR, "loc": ["body", "full_name"]}]}
    assert update.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert update.json() == {"detail": [{**NUL_ERROR, "loc": ["body", "full_name"]}]}
    assert search.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert search.json() == {"detail": [{**NUL_ERROR, "loc": ["query", "q"]}]}
    assert stored.status_code == status.HTTP_201_CREATED
    assert stored.json()["full_name"] == "Jos\u00e9\tX\x01"
