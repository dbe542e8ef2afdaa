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
from tests.evidence import Evidence

ATTACKER = "203.0.113.7"
GUESSES = [f"guess-{n}" for n in range(20)]
UNAUTHORIZED = status.HTTP_401_UNAUTHORIZED
TOO_MANY = status.HTTP_429_TOO_MANY_REQUESTS


@pytest.fixture(autouse=True)
def checks() -> Iterator[list[str]]:
    PASSWORD_CHECKS.clear()
    yield PASSWORD_CHECKS
    PASSWORD_CHECKS.clear()


def statuses_of(responses: list[httpx.Response]) -> str:
    """`401 401 429`: each response's status, in order."""
    return " ".join(str(response.status_code) for response in responses)


async def guess(app: FastAPI, passwords: list[str], client: str = ATTACKER) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, client=(client, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as http:
        return [
            await http.post("/login", data={"username": "ada", "password": password})
            for password in passwords
        ]


@pytest.mark.parametrize("create_app", [avoid.create_app, avoid.create_slowapi_app])
async def test_every_guess_reaches_the_password_check(
    checks: list[str], create_app: Callable[[], FastAPI], evidence: Evidence
) -> None:
    """Runs both Avoid apps: with no limit, and with slowapi's `default_limits=["5/minute"]` and
    `SlowAPIASGIMiddleware` on the included router, all 20 guesses get `401` and all 20 are checked.
    """
    responses = await guess(create_app(), GUESSES)

    assert [r.status_code for r in responses] == [UNAUTHORIZED] * 20
    assert len(checks) == 20
    evidence.add(
        f"statuses: {statuses_of(responses)}\npassword checks run: {len(checks)}",
        f"20 guesses from {ATTACKER}",
    )
    evidence.add(responses[-1], "The 20th guess")


async def test_slowapi_limits_only_routes_declared_on_the_app(
    checks: list[str], evidence: Evidence
) -> None:
    """The same slowapi setup with the same endpoint added to the app itself (`app.post("/login")`)
    does limit: five `401`s, then `429` with `{"error": "Rate limit exceeded: 5 per 1 minute"}`. The
    included router is what slowapi misses."""
    # The Avoid's slowapi setup, with the same endpoint added to the app itself: now it limits.
    app = FastAPI()
    app.state.limiter = Limiter(key_func=get_remote_address, default_limits=["5/minute"])
    app.add_middleware(SlowAPIASGIMiddleware)
    app.post("/login")(login)

    responses = await guess(app, GUESSES[:7])

    assert [r.status_code for r in responses] == [UNAUTHORIZED] * 5 + [TOO_MANY] * 2
    assert responses[5].json() == {"error": "Rate limit exceeded: 5 per 1 minute"}
    evidence.add(
        f"statuses: {statuses_of(responses)}", "7 guesses, the endpoint declared on the app"
    )
    evidence.add(responses[5], "The 6th guess")


def test_slowapi_route_decorator_is_deprecated_on_python_314(evidence: Evidence) -> None:
    """Applying `limiter.limit("5/minute")` raises `DeprecationWarning:
    'asyncio.iscoroutinefunction' is deprecated and slated for removal in Python 3.16; use
    inspect.iscoroutinefunction() instead`, from `slowapi/extension.py`."""
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
    evidence.add(
        "\n".join(f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}" for w in warned),
        'limiter.limit("5/minute")(endpoint)',
    )


async def test_sixth_request_in_the_window_gets_429(checks: list[str]) -> None:
    """With the Do, seven guesses give five `401`s and two `429`s; only five were checked. The 429
    says `{"detail": "Too many requests"}` with a `Retry-After` between 1 and 60 seconds. A guess
    from another address still gets `401`."""
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


async def test_each_process_counts_alone_with_memory_storage(
    checks: list[str], evidence: Evidence
) -> None:
    """Two instances of the Do app each let five guesses through before their `429`: ten checked in
    all."""
    # Two workers, each with its own MemoryStorage: the attacker gets 5 guesses from each.
    workers = [do.create_app(), do.create_app()]
    statuses = [r.status_code for app in workers for r in await guess(app, GUESSES[:6])]

    assert statuses == ([UNAUTHORIZED] * 5 + [TOO_MANY]) * 2
    assert len(checks) == 10
    evidence.add(
        f"statuses: {' '.join(map(str, statuses))}\npassword checks run: {len(checks)}",
        "6 guesses to each of two instances of the Do app",
    )


async def test_behind_an_untrusted_proxy_every_client_shares_one_limit(
    checks: list[str], evidence: Evidence
) -> None:
    """Six different users all arriving from the proxy's address `10.0.0.2` share one budget; the
    sixth is refused."""
    # Without trusted forwarded headers, every request comes "from" the proxy's address.
    app = do.create_app()
    statuses = [
        r.status_code for _ in range(6) for r in await guess(app, ["pw"], client="10.0.0.2")
    ]

    assert statuses == [UNAUTHORIZED] * 5 + [TOO_MANY]  # the sixth user is locked out
    evidence.add(
        f"statuses: {' '.join(map(str, statuses))}",
        "One login each from six users, all through the proxy at 10.0.0.2",
    )
