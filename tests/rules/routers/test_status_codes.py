"""Proofs for routers/status-codes: create answers 201 and delete 204 with an empty body, both
written as `status` constants; left to the default, both answer 200 (delete with a `null` body);
a mistyped constant fails at import, a mistyped number ships."""

import re

import httpx
import pytest
from fastapi import APIRouter, FastAPI, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.routers.status_codes import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence, describe_response

SIGN_UP = {"email": "new@example.com", "password": PASSWORD}


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


async def count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_create_is_201_and_delete_is_204_with_no_body(
    client: httpx.AsyncClient, user_headers: dict[str, str], db_session: AsyncSession
) -> None:
    """Against the reference app, `POST /users` is `201` and `DELETE /users/me` is `204` with an
    empty body; PostgreSQL holds the new user and not the deleted one."""
    created = await client.post("/users", json=SIGN_UP)
    deleted = await client.delete("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_201_CREATED
    assert deleted.status_code == status.HTTP_204_NO_CONTENT
    assert deleted.content == b""
    assert await count(db_session) == 1  # the new user; the caller's account is gone


async def test_default_status_codes_hide_what_happened(
    serve: Serve, user_headers: dict[str, str], db_session: AsyncSession, evidence: Evidence
) -> None:
    """Against the Avoid, the same create is `200`, the update (`status_code=200`, right but a
    bare number) `200`, and the delete `200` with the body `null`; the rows change just the
    same."""
    async with serve(avoid.router) as client:
        created = await client.post("/users", json=SIGN_UP)
        updated = await client.patch("/users/me", json={"full_name": "A"}, headers=user_headers)
        deleted = await client.delete("/users/me", headers=user_headers)

    assert created.status_code == status.HTTP_200_OK  # a client cannot tell "created"
    assert updated.status_code == 200  # right, but as a bare number
    assert deleted.status_code == status.HTTP_200_OK
    assert deleted.content == b"null"  # a JSON body for "nothing": 4 bytes
    assert await count(db_session) == 1
    evidence.add(shown(created), "POST /users, served by the Avoid")
    evidence.add(shown(deleted), "DELETE /users/me, served by the Avoid")


def test_mistyped_constant_fails_at_import_and_mistyped_number_ships() -> None:
    """Contains `router.delete("/x", status_code=status.HTTP_240_NO_CONTENT)`, which passes this
    project's `mypy --strict` and raises `AttributeError: module 'starlette.status' has no
    attribute 'HTTP_240_NO_CONTENT'` when run. The same route with `status_code=240` is
    registered and documented: its OpenAPI responses are exactly `{"240": ...}`."""
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
