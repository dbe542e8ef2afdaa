"""Proofs for routers/raise-http-exception: a raised HTTPException reaches the client as its
status code with a `detail`; an error dict returned by the endpoint reaches it as 200 OK."""

import re

import httpx
import pytest
from fastapi import status

from app.models import User
from snippets.routers.raise_http_exception import avoid, do
from tests.app.fixtures import Serve
from tests.evidence import Evidence, describe_response


def shown(response: httpx.Response) -> str:
    """The response as evidence, with what changes from run to run masked: row ids, timestamps,
    and the length they give a body."""
    text = describe_response(response)
    text = re.sub(r"/users/\d+", "/users/<id>", text)
    masked = re.sub(r'"id": \d+', '"id": "<id>"', text)
    masked = re.sub(r'"created_at": "[^"]+"', '"created_at": "<created_at>"', masked)
    if masked == text:
        return text
    return re.sub(r"content-length: \d+", "content-length: <length>", masked)


async def test_raised_http_exception_is_a_404(serve: Serve, user: User) -> None:
    """Serves the Do: a missing user is `404` with `{"detail": "User not found"}`, and httpx's
    `raise_for_status()` raises `HTTPStatusError` ("Client error '404 Not Found'"); an existing
    user is `200` with its email."""
    async with serve(do.router) as client:
        missing = await client.get(f"/users/{user.id + 1000}")
        found = await client.get(f"/users/{user.id}")

    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert missing.json() == {"detail": "User not found"}
    with pytest.raises(httpx.HTTPStatusError, match="404 Not Found"):
        missing.raise_for_status()  # every HTTP client library sees the failure
    assert found.status_code == status.HTTP_200_OK
    assert found.json()["email"] == "ada@example.com"


async def test_returned_error_dict_is_a_200(serve: Serve, user: User, evidence: Evidence) -> None:
    """Serves the Avoid: a missing user is `200` with `{"error": "User not found"}`;
    `is_success` is true and `raise_for_status()` returns the response. The OpenAPI document
    can only describe the `200` as `{"type": "object", "additionalProperties": true}`, error and
    user alike."""
    async with serve(avoid.router) as client:
        missing = await client.get(f"/users/{user.id + 1000}")
        found = await client.get(f"/users/{user.id}")
        openapi = (await client.get("/openapi.json")).json()

    assert missing.status_code == status.HTTP_200_OK
    assert missing.json() == {"error": "User not found"}
    assert missing.raise_for_status() is missing  # nothing in the client notices
    assert missing.is_success
    evidence.add(shown(missing), "GET /users/{unknown id}, served by the Avoid")
    evidence.add(
        f"is_success: {missing.is_success}\n"
        f"raise_for_status() returns the response: {missing.raise_for_status() is missing}",
        "What httpx makes of it",
    )
    # The contract can only describe "some object", error or user alike.
    assert found.status_code == status.HTTP_200_OK
    ok = openapi["paths"]["/users/{user_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "additionalProperties": True,
        "type": "object",
        "title": "Response Read User Users  User Id  Get",
    }
    evidence.add(f"200: {ok['content']['application/json']['schema']}", "Its OpenAPI response")
