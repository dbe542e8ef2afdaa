"""Proofs for security/trusted-hosts: without a Host check, a request naming the attacker's
host makes the app e-mail a password-reset link to the attacker's site; with
TrustedHostMiddleware, an unknown Host gets 400."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI, status

from snippets.security.trusted_hosts import avoid, do
from snippets.security.trusted_hosts.reset import OUTBOX
from tests.evidence import Evidence

VICTIM = "ada@example.com"


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[tuple[str, str]]]:
    OUTBOX.clear()
    yield OUTBOX
    OUTBOX.clear()


async def request_reset(create_app: Callable[[], FastAPI], host: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as client:
        return await client.post(
            "/password-reset", params={"email": VICTIM}, headers={"Host": host}
        )


async def test_unchecked_host_poisons_the_reset_link(
    outbox: list[tuple[str, str]], evidence: Evidence
) -> None:
    """A reset request for `ada@example.com` sent to the Avoid with `Host: evil.example` is accepted
    (`202`), and the e-mail recorded for Ada carries the link
    `https://evil.example/password-reset/<token>`."""
    response = await request_reset(avoid.create_app, "evil.example")

    assert response.status_code == status.HTTP_202_ACCEPTED
    ((to, link),) = outbox
    assert to == VICTIM
    # The victim gets a genuine e-mail whose link hands the reset token to the attacker.
    assert link.startswith("https://evil.example/password-reset/")
    evidence.add(response, "POST /password-reset?email=ada@example.com with Host: evil.example")
    token = link.rsplit("/", 1)[1]
    evidence.add(f"to: {to}\nlink: {link.replace(token, '<token>')}", "The e-mail sent to Ada")


async def test_unknown_host_is_refused(outbox: list[tuple[str, str]]) -> None:
    """The Do answers `evil.example`, `api.example.com.evil.example` and `127.0.0.1` with `400` and
    the body `Invalid host header`; no e-mail is sent."""
    for host in ("evil.example", "api.example.com.evil.example", "127.0.0.1"):
        response = await request_reset(do.create_app, host)
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert response.text == "Invalid host header"
    assert outbox == []  # the endpoint never ran


@pytest.mark.parametrize("host", ["api.example.com", "eu.api.example.com", "API.example.com:443"])
async def test_known_hosts_are_served(outbox: list[tuple[str, str]], host: str) -> None:
    """`api.example.com`, `eu.api.example.com` and `API.example.com:443` get `202`, and the link
    uses the host the request named."""
    response = await request_reset(do.create_app, host)

    assert response.status_code == status.HTTP_202_ACCEPTED
    ((_, link),) = outbox
    assert link.startswith(f"https://{host}/password-reset/")
    # The link leads back to the service, which accepts its own host.
    transport = httpx.ASGITransport(app=do.create_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as client:
        followed = await client.get(link)
    assert followed.status_code == status.HTTP_200_OK
    assert followed.json() == {"token": link.rsplit("/", 1)[1]}
