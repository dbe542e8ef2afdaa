"""Proofs for security/authorization-dependency: with the user id taken from the path and the
role from a header, user A edits and deletes user B; with the decision in a dependency, from
the signed-in user stored in PostgreSQL, A gets 403 and B is untouched."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.main import add_exception_handlers
from app.models import User
from snippets.security.authorization_dependency import avoid, do
from tests.app.factories import UserFactory
from tests.evidence import Evidence, describe_response


@pytest.fixture
async def bob(users: UserFactory) -> User:
    return await users.create(email="bob@example.com", full_name="Bob")


def serve(router: APIRouter, session: AsyncSession) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(router)
    add_exception_handlers(app)

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_db] = override_get_db
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def stable(response: httpx.Response, bob: User) -> str:
    """The response as evidence: Bob's id, his creation time and the length they set left out,
    as they change from run to run."""
    text = describe_response(response).replace(f"/users/{bob.id}", "/users/<Bob's id>")
    text = text.replace(f'"id": {bob.id},', '"id": <Bob\'s id>,')
    text = re.sub(r'"created_at": "[^"]+"', '"created_at": <time>', text)
    return re.sub(r"(?m)^content-length: \d+$", "content-length: <length>", text)


async def stored(session: AsyncSession, email: str) -> User | None:
    session.expire_all()
    return (await session.scalars(select(User).where(User.email == email))).one_or_none()


async def test_path_id_lets_a_user_edit_another(
    db_session: AsyncSession,
    user: User,
    bob: User,
    user_headers: dict[str, str],
    evidence: Evidence,
) -> None:
    """With the Avoid, Ada's `PATCH /users/{bob.id}` answers `200` with Bob's account, and Bob's
    stored name is now `pwned`."""
    async with serve(avoid.router, db_session) as client:
        # Ada is signed in; she writes Bob's id in the path.
        response = await client.patch(
            f"/users/{bob.id}", json={"full_name": "pwned"}, headers=user_headers
        )

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["email"] == "bob@example.com"
    bob_now = await stored(db_session, "bob@example.com")
    assert bob_now is not None and bob_now.full_name == "pwned"
    evidence.add(stable(response, bob), "Ada's PATCH /users/<Bob's id>, served by the Avoid")


async def test_role_header_lets_a_user_delete_another(
    db_session: AsyncSession,
    user: User,
    bob: User,
    user_headers: dict[str, str],
    evidence: Evidence,
) -> None:
    """Ada's `DELETE /users/{bob.id}` gets `403`; the same request with `X-Role: admin` gets `204`,
    and Bob is gone from the table."""
    async with serve(avoid.router, db_session) as client:
        refused = await client.delete(f"/users/{bob.id}", headers=user_headers)
        response = await client.delete(
            f"/users/{bob.id}", headers=user_headers | {"X-Role": "admin"}
        )

    assert refused.status_code == status.HTTP_403_FORBIDDEN  # looks protected...
    assert response.status_code == status.HTTP_204_NO_CONTENT  # ...until the header is sent
    assert await stored(db_session, "bob@example.com") is None
    evidence.add(stable(refused, bob), "Ada's DELETE /users/<Bob's id>, served by the Avoid")
    evidence.add(stable(response, bob), "The same request with X-Role: admin")


async def test_dependency_refuses_another_users_account(
    db_session: AsyncSession, user: User, bob: User, user_headers: dict[str, str]
) -> None:
    """With the Do, Ada's `PATCH /users/{bob.id}` gets `403 {"detail": "Not allowed to edit this
    user"}` and Bob's name is still `Bob`; a nonexistent id also gets `403`; her own account updates
    (`200`)."""
    async with serve(do.router, db_session) as client:
        other = await client.patch(
            f"/users/{bob.id}", json={"full_name": "pwned"}, headers=user_headers
        )
        missing = await client.patch(
            f"/users/{bob.id + 1000}", json={"full_name": "x"}, headers=user_headers
        )
        own = await client.patch(
            f"/users/{user.id}", json={"full_name": "Ada King"}, headers=user_headers
        )

    assert other.status_code == status.HTTP_403_FORBIDDEN
    assert other.json() == {"detail": "Not allowed to edit this user"}
    bob_now = await stored(db_session, "bob@example.com")
    assert bob_now is not None and bob_now.full_name == "Bob"
    # Permission is checked first: a missing id gives 403 too, so ids cannot be probed.
    assert missing.status_code == status.HTTP_403_FORBIDDEN
    assert own.status_code == status.HTTP_200_OK
    assert own.json()["full_name"] == "Ada King"


async def test_admin_may_edit_anyone_and_gets_404_for_no_one(
    db_session: AsyncSession, admin: User, bob: User, admin_headers: dict[str, str]
) -> None:
    """The admin edits Bob (`200`), gets `404 {"detail": "User not found"}` for a nonexistent id,
    and a request without a token gets `401`."""
    async with serve(do.router, db_session) as client:
        edited = await client.patch(
            f"/users/{bob.id}", json={"full_name": "Robert"}, headers=admin_headers
        )
        missing = await client.patch(
            f"/users/{bob.id + 1000}", json={"full_name": "x"}, headers=admin_headers
        )
        anonymous = await client.patch(f"/users/{bob.id}", json={"full_name": "x"})

    assert edited.status_code == status.HTTP_200_OK
    assert edited.json()["full_name"] == "Robert"
    assert missing.status_code == status.HTTP_404_NOT_FOUND
    assert missing.json() == {"detail": "User not found"}
    assert anonymous.status_code == status.HTTP_401_UNAUTHORIZED


async def test_reference_app_ignores_client_claims(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    user: User,
    bob: User,
    user_headers: dict[str, str],
) -> None:
    """On the reference app, Ada's `DELETE /users/{bob.id}` with `X-Role: admin` gets `403
    {"detail": "Admin privileges required"}` (the guard reads `is_admin` from the stored user) and
    Bob stays; `PATCH /users/me` with `id` and `is_admin` in the body gets `422`, with
    `extra_forbidden` errors at `body.id` and `body.is_admin`."""
    # The admin guard reads is_admin from the stored user; a header changes nothing.
    deleted = await client.delete(f"/users/{bob.id}", headers=user_headers | {"X-Role": "admin"})
    # /users/me takes no id: the account is the token's. An id or a role in the body is refused.
    smuggled = await client.patch(
        "/users/me", json={"id": bob.id, "is_admin": True}, headers=user_headers
    )

    assert deleted.status_code == status.HTTP_403_FORBIDDEN
    assert deleted.json() == {"detail": "Admin privileges required"}
    assert await stored(db_session, "bob@example.com") is not None
    assert smuggled.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert {(tuple(e["loc"]), e["type"]) for e in smuggled.json()["detail"]} == {
        (("body", "id"), "extra_forbidden"),
        (("body", "is_admin"), "extra_forbidden"),
    }
