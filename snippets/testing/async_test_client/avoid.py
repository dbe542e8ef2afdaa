"""The same test with Starlette's TestClient, which runs the app on another event loop.

TestClient is synchronous: each request runs the app on a loop of its own, in another thread."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def test_counts_users(asgi_app: FastAPI, db_session: AsyncSession) -> None:
    db_session.add(User(email="ada@example.com", hashed_password="x"))
    await db_session.flush()

    client = TestClient(asgi_app)  # expect: RB801
    assert client.get("/stats/users").json() == {"users": 1}
