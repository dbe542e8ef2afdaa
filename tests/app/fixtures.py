"""Fixtures for tests that call the reference app as a client would: a user factory, a signed-in
user, an admin, the `Authorization` headers that carry their tokens, and `serve`, which puts
routers in a throwaway app.

Each test package's conftest.py imports the ones it uses. `app.core.config` and `app.db.session`
are imported inside the fixtures: they read the settings, which exist only once
pytest_configure has set the environment.
"""

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from tests.app.factories import UserFactory, bearer, token_for

type Serve = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def users(db_session: AsyncSession) -> UserFactory:
    return UserFactory(db_session)


@pytest.fixture
def jwt_secret() -> SecretStr:
    """The secret the app signs and checks tokens with."""
    from app.core.config import get_settings

    return get_settings().jwt_secret


@pytest.fixture
async def user(users: UserFactory) -> User:
    return await users.create(email="ada@example.com", full_name="Ada Lovelace")


@pytest.fixture
async def admin(users: UserFactory) -> User:
    return await users.create(email="root@example.com", full_name="Grace Hopper", is_admin=True)


@pytest.fixture
def user_headers(user: User, jwt_secret: SecretStr) -> dict[str, str]:
    return bearer(token_for(user, jwt_secret))


@pytest.fixture
def admin_headers(admin: User, jwt_secret: SecretStr) -> dict[str, str]:
    return bearer(token_for(admin, jwt_secret))


@pytest.fixture
def serve(db_session: AsyncSession) -> Serve:
    """`async with serve(*routers) as client:` calls a fresh app holding only `routers`, whose
    `get_db` yields the test's session; `overrides` adds more dependency overrides. With
    `raise_app_exceptions=False` an unhandled exception reaches the client as the bare 500 a
    server sends, instead of being raised in the test."""
    from app.db.session import get_db

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    @asynccontextmanager
    async def serving(
        *routers: APIRouter,
        raise_app_exceptions: bool = True,
        overrides: Mapping[Callable[..., Any], Callable[..., Any]] | None = None,
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = FastAPI()
        for router in routers:
            app.include_router(router)
        app.dependency_overrides[get_db] = override_get_db
        app.dependency_overrides.update(overrides or {})
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client

    return serving
