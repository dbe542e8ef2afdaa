"""The tests that come with the endpoint: the happy path, its error paths, and the response
checked for fields that must not be there."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import status

from snippets.how_to_work.endpoint_tests.notes import create_app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http_client:
        yield http_client


async def test_read_note(client: httpx.AsyncClient) -> None:
    response = await client.get("/notes/1")

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"id": 1, "text": "Buy milk"}  # no owner_token


async def test_read_missing_note_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/notes/2")

    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert response.json() == {"detail": "Note not found"}


async def test_note_id_must_be_positive(client: httpx.AsyncClient) -> None:
    response = await client.get("/notes/0")

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert response.json()["detail"][0]["loc"] == ["path", "note_id"]
