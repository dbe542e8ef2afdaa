"""Proofs for routers/raise-http-exception: a raised HTTPException reaches the client as its
status code with a `detail`; an error dict returned by the endpoint reaches it as 200 OK."""

import httpx
import pytest
from fastapi import status

from app.models import User
from snippets.routers.raise_http_exception import avoid, do
from tests.app.fixtures import Serve


async def test_raised_http_exception_is_a_404(serve: Serve, user: User) -> None:
    async with serve(do.router) as client:
        missing = await client.get(f"/users/{user.id + 1000}")
        found = await client.get(f"/users/{user.id}")

    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert missing.json() == {"detail": "User not found"}
    with pytest.raises(httpx.HTTPStatusError, match="404 Not Found"):
        missing.raise_for_status()  # every HTTP client library sees the failure
    assert found.status_code == status.HTTP_200_OK
    assert found.json()["email"] == "ada@example.com"


async def test_returned_error_dict_is_a_200(serve: Serve, user: User) -> None:
    async with serve(avoid.router) as client:
        missing = await client.get(f"/users/{user.id + 1000}")
        found = await client.get(f"/users/{user.id}")
        openapi = (await client.get("/openapi.json")).json()

    assert missing.status_code == status.HTTP_200_OK
    assert missing.json() == {"error": "User not found"}
    assert missing.raise_for_status() is missing  # nothing in the client notices
    assert missing.is_success
    # The contract can only describe "some object", error or user alike.
    assert found.status_code == status.HTTP_200_OK
    ok = openapi["paths"]["/users/{user_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "additionalProperties": True,
        "type": "object",
        "title": "Response Read User Users  User Id  Get",
    }
