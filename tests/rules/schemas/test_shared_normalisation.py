"""Proofs for schemas/shared-normalisation: when sign-up normalises an address through
`EmailStr` and login only lower-cases it, an address in NFD or with a Punycode domain signs up
and then gets a 401 for the same bytes; the reference app runs one `normalize_email` at both, so
they log in, and one address is one account whatever form it is sent in."""

import json

import httpx
import pytest
from fastapi import status

from snippets.schemas.shared_normalisation import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence

# (as signed up and logged in with, as stored)
FORMS = [
    pytest.param("jose\u0301@example.com", "jos\u00e9@example.com", id="nfd"),
    pytest.param("ada@xn--bcher-kva.example", "ada@b\u00fccher.example", id="punycode"),
]


@pytest.mark.parametrize(("sent", "stored"), FORMS)
async def test_login_cannot_find_what_sign_up_stored(
    serve: Serve, sent: str, stored: str, evidence: Evidence
) -> None:
    """On the Avoid, sign-up answers `201` and stores `jos\\u00e9@example.com` (and
    `ada@bücher.example`); login with the bytes sent at sign-up answers `401 {"detail":
    "Incorrect email or password"}`, and login with the stored form `200`: the password is
    right, only the lookup's normalisation differs."""
    async with serve(avoid.router) as client:
        created = await client.post("/users", json={"email": sent, "password": PASSWORD})
        response = await client.post("/auth/login", data={"username": sent, "password": PASSWORD})
        # The address as sign-up stored it does log in: only the lookup's normalisation differs.
        stored_form = await client.post(
            "/auth/login", data={"username": stored, "password": PASSWORD}
        )

    assert created.status_code == status.HTTP_201_CREATED
    assert created.json()["email"] == stored
    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.json() == {"detail": "Incorrect email or password"}
    assert stored_form.status_code == status.HTTP_200_OK
    evidence.add(
        f"sent:   {json.dumps(sent)}\nstored: {json.dumps(created.json()['email'])}",
        "POST /users, served by the Avoid: the address sent and the address stored",
    )
    evidence.add(response, "POST /auth/login with the address as sent at sign-up")


async def login(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": PASSWORD})


@pytest.mark.parametrize(("sent", "stored"), FORMS)
async def test_one_normalisation_at_sign_up_and_login(
    client: httpx.AsyncClient, sent: str, stored: str
) -> None:
    """On the reference app with the same two addresses: sign-up stores the same forms
    (`201`); login with the bytes sent, and with them in upper case, answers `200` with a bearer
    token; a second sign-up with the stored form answers `409 {"detail": "Email already
    registered"}`."""
    created = await client.post("/users", json={"email": sent, "password": PASSWORD})
    same_bytes = await login(client, sent)
    upper_case = await login(client, sent.upper())
    # The stored form is the same address: a second sign-up with it is the same account.
    again = await client.post("/users", json={"email": stored, "password": PASSWORD})

    assert created.status_code == status.HTTP_201_CREATED
    assert created.json()["email"] == stored
    assert same_bytes.status_code == upper_case.status_code == status.HTTP_200_OK
    assert same_bytes.json()["token_type"] == "bearer"
    assert again.status_code == status.HTTP_409_CONFLICT
    assert again.json() == {"detail": "Email already registered"}
