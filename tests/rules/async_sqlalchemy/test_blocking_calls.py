"""Proofs for async-sqlalchemy/blocking-calls: a blocking call in `async def` stops the event
loop, so concurrent requests run one after another; awaited I/O and worker threads overlap."""

import gc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio.to_thread
import httpx
import pytest
from fastapi import APIRouter, FastAPI, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import engine, get_db
from app.models import User
from benchmarks.blocking_calls import SCENARIOS, build_app, concurrent_gets, slow_upstream
from snippets.async_sqlalchemy.blocking_calls import avoid, do
from snippets.async_sqlalchemy.blocking_calls.work import WORK_SECONDS, get_rates_url
from tests.evidence import Evidence, describe_response
from tests.lint import line_of, lines_containing
from tests.rules.async_sqlalchemy.checks import Finding, mypy_findings, ruff_findings

AVOID = avoid.__file__
REQUESTS = 5


def scenario_id(path: str) -> str:
    """`/reports/slow` as `reports-slow`: a parameter id that can name an evidence file."""
    return path.strip("/").replace("/", "-")


@pytest.fixture(scope="module")
def rates_url() -> Iterator[str]:
    with slow_upstream(WORK_SECONDS) as url:
        yield url


@pytest.fixture(scope="module")
async def pools() -> AsyncIterator[None]:
    """Close what the endpoints pooled: the app engine's and the Avoid's sync engine's."""
    yield
    await engine.dispose()
    avoid.sync_engine.dispose()


async def one_request(app: FastAPI, path: str) -> float:
    """Seconds one request alone takes, warm: the faster of two (the first opens connections)."""
    return min([await concurrent_gets(app, path, 1) for _ in range(2)])


# Timings are compared with one request alone, timed in the same test: on a busy machine both
# grow, and the ratio between them stays what the event loop makes it.
@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.parametrize("path", list(SCENARIOS), ids=scenario_id)
async def test_blocking_call_serialises_concurrent_requests(
    path: str, rates_url: str, pools: None, evidence: Evidence
) -> None:
    """Five requests at once (`asyncio.gather` of `httpx.AsyncClient` calls over
    `ASGITransport`) to each Avoid endpoint, each doing 0.1 s of blocking work, take more than
    4 times (`0.8 * 5`) as long as one request alone: they ran one after another."""
    app = build_app(avoid.router, rates_url)

    alone = await one_request(app, path)
    elapsed = await concurrent_gets(app, path, REQUESTS)

    # Five requests sent at once took about five times as long as one: one after another.
    assert elapsed > 0.8 * REQUESTS * alone, (elapsed, alone)
    evidence.add(
        f"{REQUESTS} requests at once took more than 0.8 x {REQUESTS} = {0.8 * REQUESTS:g} "
        "times as long as one request alone: one after another",
        f"GET {path} on the Avoid, {REQUESTS} requests sent at once",
    )


@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.parametrize("path", list(SCENARIOS), ids=scenario_id)
async def test_awaited_work_overlaps(path: str, rates_url: str, pools: None) -> None:
    """The same five requests to each Do endpoint (`SELECT pg_sleep(0.1)` on PostgreSQL, a GET
    to a local HTTP server that answers after 0.1 s, a 0.1 s wait, a 0.1 s call in a worker
    thread) take less than 2.5 times (`0.5 * 5`) as long as one alone: they waited together."""
    app = build_app(do.router, rates_url)

    alone = await one_request(app, path)
    elapsed = await concurrent_gets(app, path, REQUESTS)

    # The same five requests took not much longer than one: they waited together.
    assert elapsed < 0.5 * REQUESTS * alone, (elapsed, alone)


async def test_do_endpoints_answer(rates_url: str, pools: None) -> None:
    """The Do endpoints return the upstream's rates and the PDF rendered in a worker thread,
    and AnyIO's default thread limiter has 40 tokens."""
    transport = httpx.ASGITransport(app=build_app(do.router, rates_url))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/rates")).json() == {"EUR": 1.0, "USD": 1.08}
        export = await client.get("/export")
    assert export.headers["content-type"] == "application/pdf"
    assert export.content == b"%PDF-1.7 monthly"
    # The tests' upstream is local (build_app overrides the dependency), never the real API.
    assert get_rates_url() == "https://rates.example.com/latest"
    # to_thread.run_sync runs on AnyIO's worker threads: 40 at a time by default.
    assert anyio.to_thread.current_default_thread_limiter().total_tokens == 40


def test_ruff_flags_only_the_blocking_calls_it_knows(evidence: Evidence) -> None:
    """ruff with the project's configuration on the Avoid reports exactly `ASYNC210` on the
    `httpx.get` line and `ASYNC251` on the `time.sleep` line; the sync `Session`'s query and
    the `render_pdf` call, which block just as long, get no finding."""
    path = avoid_path()

    findings = ruff_findings(path)
    evidence.add(
        "\n".join(f"{path}:{f.line}: {f.code} {f.message}" for f in findings),
        "ruff check on the Avoid: all it reports",
    )

    assert findings == [
        Finding(
            line_of(path, "httpx.get("),
            "ASYNC210",
            "Async functions should not call blocking HTTP methods",
        ),
        Finding(
            line_of(path, "time.sleep("),
            "ASYNC251",
            "Async functions should not call `time.sleep`",
        ),
    ]
    # The sync engine's query and the library call block just as long; ruff cannot know.
    silent = lines_containing(path, "session.execute(text(") + lines_containing(
        path, "render_pdf(" + '"monthly")'
    )
    assert len(silent) == 2
    assert not {f.line for f in findings} & set(silent)


def avoid_path() -> Path:
    return Path(AVOID)


def session_app(router: APIRouter, session: AsyncSession) -> FastAPI:
    app = FastAPI()
    app.include_router(router)

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_db] = test_session
    return app


async def add_user(session: AsyncSession) -> User:
    user = User(email="ada@example.com", hashed_password="x")
    session.add(user)
    await session.commit()
    return user


async def is_active(session: AsyncSession, user: User) -> bool:
    await session.refresh(user)
    active: bool = user.is_active
    return active


@pytest.mark.slow
async def test_def_endpoint_drops_the_query(db_session: AsyncSession, evidence: Evidence) -> None:
    """The Avoid's `def` endpoint answers `200 {"deactivated": true}`, the user is still
    active in PostgreSQL, and Python warns `coroutine 'AsyncSession.execute' was never
    awaited`; `mypy --strict` reports the line as `unused-coroutine` before anything runs."""
    user = await add_user(db_session)
    transport = httpx.ASGITransport(app=session_app(avoid.router, db_session))

    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with pytest.warns(RuntimeWarning) as warned:
            response = await client.post(f"/users/{user.id}/deactivate")
            gc.collect()

    # The client is told it worked...
    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"deactivated": True}
    evidence.add(
        describe_response(response).replace(f"/users/{user.id}/", "/users/<id>/"),
        "POST /users/<id>/deactivate, served by the Avoid's def endpoint",
    )
    # ...but the UPDATE never ran: the coroutine was built, never awaited, then dropped.
    assert await is_active(db_session, user)
    evidence.add("is_active: True", "The user in PostgreSQL afterwards")
    assert [str(w.message) for w in warned] == [
        "coroutine 'AsyncSession.execute' was never awaited"
    ]
    evidence.add(
        "\n".join(f"{w.category.__name__}: {w.message}" for w in warned), "What Python warns"
    )
    # mypy --strict reports it before anything runs.
    findings = mypy_findings(avoid_path())
    evidence.add(
        "\n".join(f"{avoid_path()}:{f.line}: error: {f.message}  [{f.code}]" for f in findings),
        "mypy --strict on the Avoid",
    )
    assert findings == [
        Finding(
            line_of(avoid_path(), "    session.execute(update("),
            "unused-coroutine",
            'Value of type "Coroutine[Any, Any, Result[Any]]" must be used',
        )
    ]


async def test_async_endpoint_runs_the_query(db_session: AsyncSession) -> None:
    """The Do's `async def` endpoint gives the same response, and the user is inactive."""
    user = await add_user(db_session)
    transport = httpx.ASGITransport(app=session_app(do.router, db_session))

    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(f"/users/{user.id}/deactivate")

    assert response.json() == {"deactivated": True}
    assert not await is_active(db_session, user)
    assert await db_session.scalar(select(User.is_active).where(User.id == user.id)) is False
