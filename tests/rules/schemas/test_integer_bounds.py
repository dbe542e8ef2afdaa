"""Proofs for schemas/integer-bounds: an `int` bounded below only lets 2**31 through to an
`integer` column and a page to an OFFSET beyond `bigint`, and the driver fails (500); the
reference app bounds ids and pages by the column's type, so both are a 422 naming the
parameter."""

import httpx
import pytest
from fastapi import status
from pydantic import SecretStr
from sqlalchemy.exc import DBAPIError

from app.models import User
from app.schemas.types import INT4_MAX
from snippets.schemas.integer_bounds import avoid
from tests.app.factories import bearer, token_for
from tests.app.fixtures import Serve
from tests.evidence import Evidence
from tests.rules.schemas.driver import driver_error

TOO_BIG = INT4_MAX + 1  # 2147483648: a Python int, not a PostgreSQL `integer`


async def test_an_id_beyond_int4_fails_in_the_driver(
    serve: Serve, user: User, evidence: Evidence
) -> None:
    """On the Avoid, a stored user's id answers `200` and `/users/2147483647` `404`;
    `/users/2147483648` raises a `DBAPIError` raised from asyncpg's `DataError`, with `invalid
    input for query argument $1: 2147483648 (value out of int32 range)`."""
    async with serve(avoid.router) as client:
        found = await client.get(f"/users/{user.id}")
        missing = await client.get(f"/users/{INT4_MAX}")
        with pytest.raises(DBAPIError) as raised:
            await client.get(f"/users/{TOO_BIG}")
    evidence.add(raised.value, f"GET /users/{TOO_BIG}, served by the Avoid")

    assert found.status_code == status.HTTP_200_OK
    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert driver_error(raised.value) == "asyncpg.exceptions.DataError"
    assert f"invalid input for query argument $1: {TOO_BIG} (value out of int32 range)" in str(
        raised.value
    )


async def test_a_huge_page_is_a_500(serve: Serve, evidence: Evidence) -> None:
    """On the Avoid, `?page=1` answers `200`; `?page=4611686018427387904` (2⁶²) answers `500`
    with the bare body `Internal Server Error`."""
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        first = await client.get("/users", params={"page": 1})
        response = await client.get("/users", params={"page": 2**62})

    assert first.status_code == status.HTTP_200_OK
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"
    evidence.add(response, f"GET /users?page={2**62}, served by the Avoid")


async def test_a_huge_page_fails_in_the_driver(serve: Serve, evidence: Evidence) -> None:
    """The same page raises a `DBAPIError` raised from a `DataError`, with `value out of int64
    range`."""
    async with serve(avoid.router) as client:
        with pytest.raises(DBAPIError) as raised:
            await client.get("/users", params={"page": 2**62})
    evidence.add(raised.value, f"GET /users?page={2**62}, the exception behind the 500")

    assert driver_error(raised.value) == "asyncpg.exceptions.DataError"
    assert "value out of int64 range" in str(raised.value)


def limit(where: str, name: str) -> dict[str, object]:
    return {
        "type": "less_than_equal",
        "loc": [where, name],
        "msg": f"Input should be less than or equal to {INT4_MAX}",
    }


async def test_ids_and_pages_are_bounded_by_the_column_type(
    client: httpx.AsyncClient, admin_headers: dict[str, str], user: User, jwt_secret: SecretStr
) -> None:
    """On the reference app as an admin: `/users/2147483647` still reaches the database (`404
    {"detail": "User not found"}`); `GET` and `DELETE /users/2147483648` answer `422` with one
    error, `less_than_equal` at `["path", "user_id"]`, `Input should be less than or equal to
    2147483647`; `?page=2147483647` is an empty page (`200`) and `?page=2147483648` the same
    `422` at `["query", "page"]`; a token for user id 2147483648 answers `401 {"detail": "Could
    not validate credentials"}`."""
    largest = await client.get(f"/users/{INT4_MAX}", headers=admin_headers)
    read = await client.get(f"/users/{TOO_BIG}", headers=admin_headers)
    delete = await client.delete(f"/users/{TOO_BIG}", headers=admin_headers)
    last_page = await client.get("/users", params={"page": INT4_MAX}, headers=admin_headers)
    page = await client.get("/users", params={"page": TOO_BIG}, headers=admin_headers)
    user.id = TOO_BIG  # a token whose subject no row of an `integer` column can have
    me = await client.get("/users/me", headers=bearer(token_for(user, jwt_secret)))

    # The largest `integer` still reaches the database: no such user.
    assert largest.status_code == status.HTTP_404_NOT_FOUND
    assert largest.json() == {"detail": "User not found"}
    assert read.status_code == delete.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert read.json() == delete.json() == {"detail": [limit("path", "user_id")]}
    # OFFSET (2**31 - 2) * 20 fits in `bigint`: an empty page.
    assert last_page.status_code == status.HTTP_200_OK
    assert last_page.json()["items"] == []
    assert page.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert page.json() == {"detail": [limit("query", "page")]}
    assert me.status_code == status.HTTP_401_UNAUTHORIZED
    assert me.json() == {"detail": "Could not validate credentials"}
