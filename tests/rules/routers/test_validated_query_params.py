"""Proofs for routers/validated-query-params: bounds declared with `Query` in `Annotated` turn a
negative page, an oversized page or an over-long `q` into a 422 naming the parameter; bare
`int` and `str` pass them on to PostgreSQL, which fails with a 500 or does the work."""

from typing import Any

import httpx
import pytest
from fastapi import status
from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from snippets.routers.validated_query_params import avoid
from tests.app.factories import UserFactory
from tests.app.fixtures import Serve


@pytest.mark.parametrize(
    ("params", "loc", "error_type", "message"),
    [
        ({"page": -1}, ["query", "page"], "greater_than_equal", "greater than or equal to 1"),
        ({"page": 0}, ["query", "page"], "greater_than_equal", "greater than or equal to 1"),
        ({"size": 0}, ["query", "size"], "greater_than_equal", "greater than or equal to 1"),
        ({"size": 10_000}, ["query", "size"], "less_than_equal", "less than or equal to 100"),
        ({"q": "x" * 51}, ["query", "q"], "string_too_long", "at most 50 characters"),
    ],
)
async def test_out_of_bounds_params_are_422_naming_the_param(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    params: dict[str, Any],
    loc: list[str],
    error_type: str,
    message: str,
) -> None:
    response = await client.get("/users", params=params, headers=admin_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, error_type)
    assert message in error["msg"]


async def test_params_are_documented_with_their_bounds(client: httpx.AsyncClient) -> None:
    openapi = (await client.get("/openapi.json")).json()

    params = {p["name"]: p["schema"] for p in openapi["paths"]["/users"]["get"]["parameters"]}
    assert params["page"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**31 - 1,  # the offset it gives fits PostgreSQL's bigint
        "default": 1,
        "description": "1-based page number",
        "title": "Page",
    }
    assert (params["size"]["minimum"], params["size"]["maximum"]) == (1, 100)
    assert params["q"]["anyOf"][0] == {"type": "string", "maxLength": 50}


async def test_negative_page_reaches_postgresql_as_a_500(
    serve: Serve, db_session: AsyncSession
) -> None:
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        response = await client.get("/users", params={"page": -1})
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    await db_session.rollback()  # the failed statement aborted the test's SAVEPOINT

    async with serve(avoid.router) as client:
        with pytest.raises(DBAPIError, match="OFFSET must not be negative"):
            await client.get("/users", params={"page": -1})
    await db_session.rollback()


async def test_unbounded_size_and_q_go_straight_to_the_database(
    serve: Serve, users: UserFactory, db_session: AsyncSession
) -> None:
    for _ in range(3):
        await users.create()
    sent: list[Any] = []

    def record(conn: Connection, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append(parameters)

    connection = (await db_session.connection()).sync_connection
    assert connection is not None
    event.listen(connection, "before_cursor_execute", record)
    try:
        async with serve(avoid.router) as client:
            everything = await client.get("/users", params={"size": 1_000_000})
            long_q = await client.get("/users", params={"q": "x" * 10_000})
    finally:
        event.remove(connection, "before_cursor_execute", record)

    assert everything.status_code == status.HTTP_200_OK
    assert len(everything.json()) == 3  # one request may ask for the whole table
    assert 1_000_000 in sent[0]  # LIMIT 1000000
    assert long_q.status_code == status.HTTP_200_OK
    assert "x" * 10_000 in sent[1]  # a 10,000-character LIKE pattern, run as sent
