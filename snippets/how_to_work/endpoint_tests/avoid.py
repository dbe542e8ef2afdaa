"""The endpoint's only test: the happy path, checked for its status code."""

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
