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
from tests.rules.schemas.driver import driver_error

TOO_BIG = INT4_MAX + 1  # 2147483648: a Python int, not a PostgreSQL `integer`


async def test_an_id_beyond_int4_fails_in_the_driver(serve: Serve, user: User) -> None:
    async with serve(avoid.router) as client:
        found = await client.get(f"/users/{user.id}")
        missing = await client.get(f"/users/{INT4_MAX}")
        with pytest.raises(DBAPIError) as raised:
            await client.get(f"/users/{TOO_BIG}")

    assert found.status_code == status.HTTP_200_OK
    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert driver_error(raised.value) == "asyncpg.exceptions.DataError"
    assert f"invalid input for query argument $1: {TOO_BIG} (value out of int32 range)" in str(
        raised.value
    )


async def test_a_huge_page_is_a_500(serve: Serve) -> None:
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        first = await client.get("/users", params={"page": 1})
        response = await client.get("/users", params={"page": 2**62})

    assert first.status_code == status.HTTP_200_OK
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"


async def test_a_huge_page_fails_in_the_driver(serve: Serve) -> None:
    async with serve(avoid.router) as client:
        with pytest.raises(DBAPIError) as raised:
            await client.get("/users", params={"page": 2**62})

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
