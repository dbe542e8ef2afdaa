"""Proofs for security/timing-safe-login: returning early for an unknown e-mail makes its login
many times faster than a wrong password for a real account; checking a stand-in hash makes the
two take about as long, in the snippet and in the reference app's token endpoint.

Timings are medians of several logins, compared with wide margins: Argon2 costs tens of
milliseconds, a lookup that finds nothing about one.
"""

import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.security.timing_safe_login import avoid, do
from tests.app.factories import PASSWORD
from tests.evidence import Evidence

# Every test here times Argon2 at the app's own parameters.
pytestmark = [pytest.mark.slow, pytest.mark.timing, pytest.mark.argon2_cost]
ROUNDS = 5
type Login = Callable[[str], Awaitable[object]]


async def median_seconds(login: Login, email: str) -> float:
    await login(email)  # warm up: the first call pays one-off costs (the stand-in hash)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await login(email)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def compare(login: Login) -> tuple[float, float]:
    """(known e-mail with a wrong password, unknown e-mail): median seconds of each."""
    known = await median_seconds(login, "ada@example.com")
    unknown = await median_seconds(login, "nobody@example.com")
    return known, unknown


async def test_early_return_tells_unknown_emails_apart(
    db_session: AsyncSession, user: User, evidence: Evidence
) -> None:
    """With the Avoid, both logins fail, and the unknown e-mail fails more than ten times
    faster."""

    async def login(email: str) -> User | None:
        return await avoid.authenticate(db_session, email, "not the password")

    known, unknown = await compare(login)

    assert await login("ada@example.com") is None  # both fail...
    assert await login("nobody@example.com") is None
    assert unknown * 10 < known  # ...but the unknown e-mail fails at least 10 times faster
    evidence.add(
        "ada@example.com (stored), wrong password: None\n"
        "nobody@example.com (unknown): None\n"
        "median of 5 logins: the unknown e-mail fails at least 10 times faster",
        "The Avoid's authenticate, for a stored and an unknown e-mail",
    )


async def test_stand_in_hash_makes_both_take_as_long(db_session: AsyncSession, user: User) -> None:
    """With the Do, the two medians are within a factor of three of each other; the right
    password still logs Ada in, an unknown e-mail never does, and the stand-in is an
    `$argon2id$` hash."""

    async def login(email: str) -> User | None:
        return await do.authenticate(db_session, email, "not the password")

    known, unknown = await compare(login)

    assert unknown * 3 > known and known * 3 > unknown  # within a factor of 3 of each other
    assert await do.authenticate(db_session, "ada@example.com", PASSWORD) == user
    assert await do.authenticate(db_session, "nobody@example.com", PASSWORD) is None
    assert do.stand_in_hash().startswith("$argon2id$")


@pytest.fixture
async def unthrottled(db_session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    """The reference app with its login rate limit raised by the setting: every login of the
    comparison must reach the password check."""
    from app.core.config import Settings
    from app.db.session import get_db
    from app.main import create_app

    app = create_app(Settings(login_rate_limit="10000/minute"))

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_reference_app_login_takes_as_long_for_unknown_emails(
    unthrottled: httpx.AsyncClient, user: User
) -> None:
    """`POST /auth/token` answers both with `401 {"detail": "Incorrect email or password"}`, and
    the two medians are within a factor of three."""
    client = unthrottled

    async def login(email: str) -> httpx.Response:
        response = await client.post(
            "/auth/token", data={"username": email, "password": "not the password"}
        )
        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert response.json() == {"detail": "Incorrect email or password"}  # the same words
        return response

    known, unknown = await compare(login)

    assert unknown * 3 > known and known * 3 > unknown
