"""Finding 1 against a real server: a login flood must not take the pool or the event loop.

400 wrong-password logins at once, with 50 signed-in clients calling `GET /users/me` meanwhile,
against `fastapi run` on the run's database (benchmarks/login_flood.py does the flooding; the
benchmark prints the `/me` latencies). The login rate limit is raised by its setting, so the
logins reach Argon2."""

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.login_flood import HASHING_QUEUE, LOGINS, READERS, describe, run_flood


@pytest.mark.load
@pytest.mark.slow
async def test_login_flood_leaves_the_pool_and_the_event_loop_to_other_requests(
    engine: AsyncEngine, database_url: str
) -> None:
    # `engine` has created the tables in the run's database; the server uses them.
    result = await run_flood(database_url)
    print(describe(result))

    assert result.errors == []  # no timeout, no dropped connection
    assert sum(result.logins.values()) == LOGINS
    # Every login is checked (401) or refused at once because the hashing queue is full (503).
    assert set(result.logins) <= {401, 503}, result.logins
    assert result.logins[401] >= 100  # hashed: at least the threads and the queue's length
    assert result.logins[401] >= HASHING_QUEUE
    assert result.logins_without_retry_after == 0
    # Every signed-in call is served, throughout: no pool timeout, no 500.
    assert len(result.me) >= READERS
    assert {status for status, _ in result.me} == {200}
