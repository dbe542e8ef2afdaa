"""Proofs for security/cors-origins: with `allow_origins=["*"]` and credentials, Starlette
echoes any Origin back and allows credentials, so any site can read a signed-in user's data;
with the origins listed, an unlisted origin gets no `Access-Control-Allow-Origin`."""

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI, status

from snippets.security.cors_origins import avoid, do
from tests.evidence import Evidence

EVIL = "https://evil.example"
FRONT_END = "https://app.example.com"
SIGNED_IN = {"Cookie": "session=s3ss10n"}
PREFLIGHT = {
    "Access-Control-Request-Method": "PATCH",
    "Access-Control-Request-Headers": "content-type",
}


def browser_lets_page_read(response: httpx.Response, origin: str) -> bool:
    """The Fetch standard's CORS check for a request sent with credentials: the page at `origin`
    may read the response only if it names that exact origin (never `*`) and allows credentials."""
    allowed_origin: str | None = response.headers.get("access-control-allow-origin")
    credentials: str | None = response.headers.get("access-control-allow-credentials")
    return allowed_origin == origin and credentials == "true"


async def fetch(
    create_app: Callable[[], FastAPI], origin: str, *, preflight: bool = False
) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as client:
        if preflight:
            return await client.options("/account", headers={"Origin": origin, **PREFLIGHT})
        return await client.get("/account", headers={"Origin": origin, **SIGNED_IN})


async def test_wildcard_with_credentials_lets_any_site_read_the_account(evidence: Evidence) -> None:
    """From `https://evil.example`, the Avoid answers `200` with the account (its IBAN included),
    `Access-Control-Allow-Origin: https://evil.example` and `Access-Control-Allow-Credentials:
    true`: the browser would hand the data to the evil page's script."""
    response = await fetch(avoid.create_app, EVIL)

    assert response.status_code == status.HTTP_200_OK
    assert response.json()["iban"] == "GB33BUKB20201555555555"
    # Not `*`: Starlette echoes the caller's origin, because browsers refuse `*` with credentials.
    assert response.headers["access-control-allow-origin"] == EVIL
    assert response.headers["access-control-allow-credentials"] == "true"
    assert browser_lets_page_read(response, EVIL)
    evidence.add(response, "GET /account from https://evil.example, with the session cookie")


async def test_wildcard_with_credentials_passes_any_preflight(evidence: Evidence) -> None:
    """A preflight for `PATCH` from `https://evil.example` gets `200`, the origin echoed back and
    credentials allowed."""
    response = await fetch(avoid.create_app, EVIL, preflight=True)

    assert response.status_code == status.HTTP_200_OK
    assert response.headers["access-control-allow-origin"] == EVIL
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "PATCH" in response.headers["access-control-allow-methods"]
    evidence.add(response, "Preflight OPTIONS /account for PATCH from https://evil.example")


async def test_listed_origins_refuse_an_unlisted_site() -> None:
    """From `https://evil.example`, the Do still answers `200` (CORS is enforced by the browser),
    but without `Access-Control-Allow-Origin`, so the browser's check fails; `Vary: Origin` is set,
    and `Access-Control-Allow-Credentials: true` is there too, granting nothing. The preflight gets
    `400` with the body `Disallowed CORS origin`."""
    response = await fetch(do.create_app, EVIL)

    # The server still answers (CORS is enforced by the browser)...
    assert response.status_code == status.HTTP_200_OK
    # ...but names no origin, so the browser keeps the body from the page.
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"
    # Starlette sends this to every Origin; without an allowed origin it grants nothing.
    assert response.headers["access-control-allow-credentials"] == "true"
    assert not browser_lets_page_read(response, EVIL)

    preflight = await fetch(do.create_app, EVIL, preflight=True)
    assert preflight.status_code == status.HTTP_400_BAD_REQUEST
    assert preflight.text == "Disallowed CORS origin"
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize("origin", do.ALLOWED_ORIGINS)
async def test_listed_origins_serve_the_front_end(origin: str) -> None:
    """For each listed origin, the response names that origin and allows credentials, and the
    preflight allows `GET, POST, PATCH, DELETE`."""
    response = await fetch(do.create_app, origin)
    preflight = await fetch(do.create_app, origin, preflight=True)

    assert browser_lets_page_read(response, origin)
    assert response.json()["email"] == "ada@example.com"
    assert preflight.status_code == status.HTTP_200_OK
    assert preflight.headers["access-control-allow-origin"] == origin
    assert preflight.headers["access-control-allow-methods"] == "GET, POST, PATCH, DELETE"


async def test_account_needs_the_session_cookie() -> None:
    """Without the cookie the endpoint answers `401`, so what the Avoid exposes is exactly what the
    visitor's cookie unlocks."""
    transport = httpx.ASGITransport(app=do.create_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as client:
        response = await client.get("/account", headers={"Origin": FRONT_END})

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.json() == {"detail": "Not signed in"}
