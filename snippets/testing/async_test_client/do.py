"""A test as this project writes it: an `async def` with no marker (asyncio_mode = "auto"),
calling the app through the `client` fixture, on the test's own event loop."""

import httpx
from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def test_counts_users(client: httpx.AsyncClient, db_session: AsyncSession) -> None:
    db_session.add(User(email="ada@example.com", hashed_password="x"))
    await db_session.flush()  # not committed: the app sees it through the test's session

    response = await client.get("/stats/users")

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"users": 1}
