"""Proofs for security/rate-limiting: without a working limit every password guess reaches the
check (slowapi's middleware included, for routes of an included router on FastAPI 0.139); with
the Do's dependency, the sixth request in a minute from one address gets 429 and never reaches
the check."""

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI, Request, status
from slowapi import Limiter
from slowapi.middleware import SlowAPIASGIMiddleware
from slowapi.util import get_remote_address

from snippets.security.rate_limiting import avoid, do
from snippets.security.rate_limiting.login import PASSWORD_CHECKS, login

ATTACKER = "203.0.113.7"
GUESSES = [f"guess-{n}" for n in range(20)]
UNAUTHORIZED = status.HTTP_401_UNAUTHORIZED
TOO_MANY = status.HTTP_429_TOO_MANY_REQUESTS


@pytest.fixture(autouse=True)
def checks() -> Iterator[list[str]]:
    PASSWORD_CHECKS.clear()
    yield PASSWORD_CHECKS
    PASSWORD_CHECKS.clear()


async def guess(app: FastAPI, passwords: list[str], client: str = ATTACKER) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, client=(client, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as http:
        return [
            await http.post("/login", data={"username": "ada", "password": password})
            for password in passwords
        ]


@pytest.mark.parametrize("create_app", [avoid.create_app, avoid.create_slowapi_app])
async def test_every_guess_reaches_the_password_check(
    checks: list[str], create_app: Callable[[], FastAPI]
) -> None:
    responses = await guess(create_app(), GUESSES)

    assert [r.status_code for r in responses] == [UNAUTHORIZED] * 20
    assert len(checks) == 20


async def test_slowapi_limits_only_routes_declared_on_the_app(checks: list[str]) -> None:
    # The Avoid's slowapi setup, with the same endpoint added to the app itself: now it limits.
    app = FastAPI()
    app.state.limiter = Limiter(key_func=get_remote_address, default_limits=["5/minute"])
    app.add_middleware(SlowAPIASGIMiddleware)
    app.post("/login")(login)

    responses = await guess(app, GUESSES[:7])

    assert [r.status_code for r in responses] == [UNAUTHORIZED] * 5 + [TOO_MANY] * 2
    assert responses[5].json() == {"error": "Rate limit exceeded: 5 per 1 minute"}


def test_slowapi_route_decorator_is_deprecated_on_python_314() -> None:
    limiter = Limiter(key_func=get_remote_address)

    async def endpoint(request: Request) -> None: ...

    # slowapi 0.1.10 calls asyncio.iscoroutinefunction, deprecated in 3.14, removed in 3.16;
    # with warnings as errors (this project), `@limiter.limit(...)` cannot even be applied.
    with pytest.warns(DeprecationWarning) as warned:
        limiter.limit("5/minute")(endpoint)
    assert [str(w.message) for w in warned] == [
        "'asyncio.iscoroutinefunction' is deprecated and slated for removal in Python 3.16; "
        "use inspect.iscoroutinefunction() instead"
    ]
    assert re.search(r"slowapi[/\\]extension\.py$", warned[0].filename)


async def test_sixth_request_in_the_window_gets_429(checks: list[str]) -> None:
    app = do.create_app()
    responses = await guess(app, GUESSES[:7])

    assert [r.status_code for r in responses] == [UNAUTHORIZED] * 5 + [TOO_MANY] * 2
    assert len(checks) == 5  # the refused requests never reached the password check
    refused = responses[5]
    assert refused.json() == {"detail": "Too many requests"}
    assert 0 < int(refused.headers["retry-after"]) <= 60

    # The limit is per client address: another client is not held back.
    (other,) = await guess(app, ["hunter2"], client="198.51.100.20")
    assert other.status_code == UNAUTHORIZED


async def test_each_process_counts_alone_with_memory_storage(checks: list[str]) -> None:
    # Two workers, each with its own MemoryStorage: the attacker gets 5 guesses from each.
    workers = [do.create_app(), do.create_app()]
    statuses = [r.status_code for app in workers for r in await guess(app, GUESSES[:6])]

    assert statuses == ([UNAUTHORIZED] * 5 + [TOO_MANY]) * 2
    assert len(checks) == 10


async def test_behind_an_untrusted_proxy_every_client_shares_one_limit(checks: list[str]) -> None:
    # Without trusted forwarded headers, every request comes "from" the proxy's address.
    app = do.create_app()
    statuses = [
        r.status_code for _ in range(6) for r in await guess(app, ["pw"], client="10.0.0.2")
    ]

    assert statuses == [UNAUTHORIZED] * 5 + [TOO_MANY]  # the sixth user is locked out
