"""Happy-path tests that check status codes only: each regression below still passes them.

The same resource as the reference app's contract tests: /users, with a signed-in user and an
admin from the same fixtures.
"""

import httpx
from fastapi import status

from app.models import User


async def test_create_user(client: httpx.AsyncClient) -> None:
    body = {"email": "new@example.com", "password": "correct horse battery staple"}
    response = await client.post("/users", json=body)
    assert response.status_code == status.HTTP_201_CREATED


async def test_read_me(client: httpx.AsyncClient, user_headers: dict[str, str]) -> None:
    response = await client.get("/users/me", headers=user_headers)
    assert response.status_code == status.HTTP_200_OK


async def test_list_users(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    response = await client.get("/users", headers=admin_headers)
    assert response.status_code == status.HTTP_200_OK


async def test_read_user(
    client: httpx.AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    response = await client.get(f"/users/{user.id}", headers=admin_headers)
    assert response.status_code == status.HTTP_200_OK
