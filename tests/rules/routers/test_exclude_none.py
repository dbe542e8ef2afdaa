"""Proofs for routers/exclude-none: by default a null field is sent as `null`, as its required
schema says; `response_model_exclude_none=True` drops it, which is a design only when the schema
declares the field optional; used to hide a field, it breaks the contract and hides nothing."""

import re
from typing import Any

import httpx
from fastapi import status
from pydantic import SecretStr

from app.models import User
from snippets.routers.exclude_none import avoid, do
from tests.app.factories import UserFactory, bearer, token_for
from tests.app.fixtures import Serve
from tests.evidence import Evidence, describe_response


async def nameless_headers(users: UserFactory, jwt_secret: SecretStr) -> dict[str, str]:
    return bearer(token_for(await users.create(full_name=None), jwt_secret))


def schema(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(openapi["components"]["schemas"][name])


async def test_default_sends_null_as_the_schema_requires(
    client: httpx.AsyncClient, users: UserFactory, jwt_secret: SecretStr
) -> None:
    """`GET /users/me` for a user without a name returns `"full_name": null`; in the OpenAPI
    document `UserRead` lists `full_name` in `required`, typed
    `anyOf: [{"type": "string"}, {"type": "null"}]`."""
    headers = await nameless_headers(users, jwt_secret)

    response = await client.get("/users/me", headers=headers)
    openapi = (await client.get("/openapi.json")).json()

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["full_name"] is None  # present, and null
    user_read = schema(openapi, "UserRead")
    assert "full_name" in user_read["required"]
    assert user_read["properties"]["full_name"]["anyOf"] == [{"type": "string"}, {"type": "null"}]


async def test_deliberate_exclude_none_matches_its_schema(
    serve: Serve,
    users: UserFactory,
    jwt_secret: SecretStr,
    user: User,
    user_headers: dict[str, str],
) -> None:
    """Serves the Do's card: for the nameless user the body's keys are exactly `id` and
    `email`; for Ada it is `{"id": ..., "email": "ada@example.com", "full_name": "Ada
    Lovelace"}`; and `UserCard`'s `required` is `["id", "email"]`. Body and schema agree both
    ways."""
    nameless = await nameless_headers(users, jwt_secret)
    async with serve(do.router) as client:
        without = await client.get("/users/me/card", headers=nameless)
        named = await client.get("/users/me/card", headers=user_headers)
        openapi = (await client.get("/openapi.json")).json()

    assert without.json().keys() == {"id", "email"}  # no name: no key
    assert named.json() == {"id": user.id, "email": "ada@example.com", "full_name": "Ada Lovelace"}
    # The schema promises exactly that: full_name may be absent.
    assert schema(openapi, "UserCard")["required"] == ["id", "email"]


async def test_exclude_none_over_a_wrong_schema_breaks_the_contract_and_leaks(
    serve: Serve, users: UserFactory, jwt_secret: SecretStr, evidence: Evidence
) -> None:
    """Serves the Avoid for the nameless user: `UserOut` lists `full_name` as required, and the
    body has no `full_name`; the `hashed_password` it meant to hide is in the body
    (`$argon2id$...`), since a real user has one."""
    headers = await nameless_headers(users, jwt_secret)
    async with serve(avoid.router) as client:
        response = await client.get("/users/me", headers=headers)
        openapi = (await client.get("/openapi.json")).json()

    body = response.json()
    user_out = schema(openapi, "UserOut")
    # A field the schema calls required is missing from the body...
    assert "full_name" in user_out["required"]
    assert "full_name" not in body
    # ...and the field it was meant to hide is not None on a real user, so it goes out.
    assert body["hashed_password"].startswith("$argon2id$")
    # The factory's id and e-mail change from run to run, and with them the body's length.
    text = describe_response(response)
    text = text.replace(f'"id": {body["id"]}', '"id": "<id>"').replace(body["email"], "<email>")
    text = re.sub(r"content-length: \d+", "content-length: <length>", text)
    evidence.add(text, "GET /users/me for a user without a name, served by the Avoid")
    evidence.add(f"required: {user_out['required']}", "Its OpenAPI schema UserOut")
