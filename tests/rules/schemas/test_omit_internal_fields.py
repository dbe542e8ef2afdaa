"""Proofs for schemas/omit-internal-fields: `response_model_exclude` hides a field on one route
only, and never in the OpenAPI schema; a response model without the field cannot return it."""

import httpx
from fastapi import status

from app.models import User
from snippets.schemas.omit_internal_fields import avoid
from tests.app.fixtures import Serve
from tests.evidence import Evidence, masked

INTERNAL = ("hashed_password", "is_admin")


async def test_exclude_on_one_route_leaks_on_the_next(
    serve: Serve, user: User, user_headers: dict[str, str], evidence: Evidence
) -> None:
    """Served by the Avoid, `GET /users/{id}`, which excludes the two fields, returns neither;
    `GET /users/me`, which returns the same model without the exclusion, returns
    `hashed_password` (`$argon2id$v=19$...`) and `is_admin` (`false`)."""
    async with serve(avoid.router) as client:
        excluded = await client.get(f"/users/{user.id}")
        forgotten = await client.get("/users/me", headers=user_headers)
        missing = await client.get(f"/users/{user.id + 1000}")

    assert excluded.status_code == status.HTTP_200_OK
    assert not set(INTERNAL) & excluded.json().keys()
    assert forgotten.status_code == status.HTTP_200_OK
    assert forgotten.json()["hashed_password"].startswith("$argon2id$v=19$")
    assert forgotten.json()["is_admin"] is False
    evidence.add(
        masked(forgotten, id="<id>", created_at="<created_at>"),
        "GET /users/me, the Avoid's route without the exclusion",
    )
    assert missing.status_code == status.HTTP_404_NOT_FOUND


async def test_excluded_field_is_still_in_the_openapi_schema(
    serve: Serve, evidence: Evidence
) -> None:
    """The Avoid's OpenAPI document: the `200` response of `GET /users/{user_id}`, the route
    with the exclusion, is `UserOut`, whose `required` list includes `hashed_password` and
    `is_admin`."""
    async with serve(avoid.router) as client:
        openapi = (await client.get("/openapi.json")).json()

    # The route that excludes it still documents a response carrying the password hash.
    ok = openapi["paths"]["/users/{user_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/UserOut"}
    user_out = openapi["components"]["schemas"]["UserOut"]
    assert {"hashed_password", "is_admin"} <= set(user_out["required"])
    evidence.add(
        f"200 response: {ok['content']['application/json']['schema']['$ref']}\n"
        f"UserOut required: {', '.join(user_out['required'])}",
        "GET /users/{user_id} in the Avoid's OpenAPI document",
    )


async def test_omitted_fields_are_in_no_response_and_no_schema(
    client: httpx.AsyncClient,
    user: User,
    user_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    """Every users route of the reference app that returns a user (create, read and update
    `/me`, read by id, list): `201`, `200`, `200`, `200`, `200`. Neither `hashed_password` nor
    `is_admin` appears anywhere in any body or anywhere in the whole OpenAPI document, and no
    body contains `$argon2id$`."""
    responses = [
        await client.post(
            "/users", json={"email": "new@example.com", "password": "correct horse battery"}
        ),
        await client.get("/users/me", headers=user_headers),
        await client.patch("/users/me", json={"full_name": "Ada"}, headers=user_headers),
        await client.get(f"/users/{user.id}", headers=admin_headers),
        await client.get("/users", headers=admin_headers),
    ]
    openapi = await client.get("/openapi.json")

    assert [r.status_code for r in responses] == [201, 200, 200, 200, 200]
    for response in [*responses, openapi]:
        for field in INTERNAL:
            assert field not in response.text
    assert "$argon2id$" not in "".join(r.text for r in responses)
