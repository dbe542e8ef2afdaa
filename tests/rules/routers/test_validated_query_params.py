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
from tests.evidence import Evidence


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
    """Calls `GET /users` as an admin, one bad parameter at a time: each is `422` with exactly
    one error, naming the parameter in its `loc`, with the bound's `type` and message."""
    response = await client.get("/users", params=params, headers=admin_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, error_type)
    assert message in error["msg"]


async def test_params_are_documented_with_their_bounds(client: httpx.AsyncClient) -> None:
    """In the OpenAPI document `page` is an integer with `minimum: 1`, `maximum: 2147483647`
    and `default: 1`, `size` has `minimum: 1` and `maximum: 100`, `q` a string with
    `maxLength: 50`."""
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
    serve: Serve, db_session: AsyncSession, evidence: Evidence
) -> None:
    """Serves the Avoid: `?page=-1` is `500`; the exception behind it is a `DBAPIError` from
    asyncpg with PostgreSQL's message "OFFSET must not be negative"."""
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        response = await client.get("/users", params={"page": -1})
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    evidence.add(response, "GET /users?page=-1, served by the Avoid")
    await db_session.rollback()  # the failed statement aborted the test's SAVEPOINT

    async with serve(avoid.router) as client:
        with pytest.raises(DBAPIError, match="OFFSET must not be negative") as error:
            await client.get("/users", params={"page": -1})
    await db_session.rollback()
    evidence.add(error.value, "The exception behind the 500")


async def test_unbounded_size_and_q_go_straight_to_the_database(
    serve: Serve, users: UserFactory, db_session: AsyncSession, evidence: Evidence
) -> None:
    """Records the parameters the Avoid sends to PostgreSQL: `?size=1000000` runs with
    `LIMIT 1000000` and returns all three users, and a 10,000-character `q` is sent as a
    10,000-character pattern (`200`)."""
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
    evidence.add(
        f"{everything.status_code} {everything.reason_phrase}, {len(everything.json())} users\n"
        f"parameters sent to PostgreSQL: {sent[0]}",
        "GET /users?size=1000000, served by the Avoid",
    )
    patterns = [p for p in sent[1] if isinstance(p, str) and "x" * 10_000 in p]
    evidence.add(
        f"{long_q.status_code} {long_q.reason_phrase}\n"
        + "\n".join(
            f"parameter sent to PostgreSQL: a {len(p):,}-character pattern, {p[:12]!r}..."
            for p in patterns
        ),
        "GET /users?q=<10,000 characters>, served by the Avoid",
    )
