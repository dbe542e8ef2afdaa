"""Proofs for routers/status-codes: create answers 201 and delete 204 with an empty body, both
written as `status` constants; left to the default, both answer 200 (delete with a `null` body);
a mistyped constant fails at import, a mistyped number ships."""

import httpx
import pytest
from fastapi import APIRouter, FastAPI, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.routers.status_codes import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve

SIGN_UP = {"email": "new@example.com", "password": PASSWORD}


async def count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_create_is_201_and_delete_is_204_with_no_body(
    client: httpx.AsyncClient, user_headers: dict[str, str], db_session: AsyncSession
) -> None:
    created = await client.post("/users", json=SIGN_UP)
    deleted = await client.delete("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_201_CREATED
    assert deleted.status_code == status.HTTP_204_NO_CONTENT
    assert deleted.content == b""
    assert await count(db_session) == 1  # the new user; the caller's account is gone


async def test_default_status_codes_hide_what_happened(
    serve: Serve, user_headers: dict[str, str], db_session: AsyncSession
) -> None:
    async with serve(avoid.router) as client:
        created = await client.post("/users", json=SIGN_UP)
        updated = await client.patch("/users/me", json={"full_name": "A"}, headers=user_headers)
        deleted = await client.delete("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_200_OK  # a client cannot tell "created"
    assert updated.status_code == 200  # right, but as a bare number
    assert deleted.status_code == status.HTTP_200_OK
    assert deleted.content == b"null"  # a JSON body for "nothing": 4 bytes
    assert await count(db_session) == 1


def test_mistyped_constant_fails_at_import_and_mistyped_number_ships() -> None:
    router = APIRouter()
    # This line passes mypy --strict (starlette.status has a module-level __getattr__), but
    # fails the moment the module holding it is imported.
    with pytest.raises(
        AttributeError, match=r"module 'starlette\.status' has no attribute 'HTTP_240_NO_CONTENT'"
    ):
        router.delete("/x", status_code=status.HTTP_240_NO_CONTENT)

    # The same typo as a number is accepted, served and documented.
    @router.delete("/x", status_code=240)
    async def delete_x() -> None: ...

    app = FastAPI()
    app.include_router(router)
    assert app.openapi()["paths"]["/x"]["delete"]["responses"].keys() == {"240"}
