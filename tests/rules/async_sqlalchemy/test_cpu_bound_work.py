"""Proofs for async-sqlalchemy/cpu-bound-work: a login that verifies its password inside the
read's transaction keeps a pooled connection idle in transaction while it waits for Argon2, so
a few of them empty the pool and every other request times out with a 500; the reference app's
`authenticate` gives the connection back first, and its bounded hashing queue refuses the
excess with 503 at once.

The pool is small on purpose (2 connections, no overflow, a 0.5 s wait for one), and Argon2's
duration is made a state the test controls: the hasher waits for `release` before verifying,
as a real one is still busy while a flood goes on. Every assertion reads a count or a state
(connections checked out, backends idle in transaction, threads busy, status codes), never how
long something took."""

import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Annotated

import anyio
import httpx
import pytest
from fastapi import Depends, FastAPI, status
from fastapi.security import OAuth2PasswordRequestForm
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.api.deps import SessionDep
from app.api.routers import users
from app.db.session import AsyncSessionLocal
from app.main import add_exception_handlers
from app.models import User
from app.services import users as user_service
from app.services.exceptions import InvalidCredentials
from app.services.passwords import HashingQueue
from snippets.async_sqlalchemy.cpu_bound_work import avoid
from tests.app.factories import PASSWORD, UserFactory, bearer, token_for
from tests.evidence import Evidence
from tests.rules.async_sqlalchemy.asgi import Recorder, client_of
from tests.waiting import until

# The small pool's application_name in pg_stat_activity: one per process, as xdist workers may
# run the two pool tests at the same time (each on a database of its own).
POOL = f"cpu-bound-work-{secrets.token_hex(4)}"
POOL_SIZE = 2
LOGINS = POOL_SIZE + 1  # one more login at once than the pool has connections
WRONG = {"username": "ada@example.com", "password": "not the password at all"}
type Authenticate = Callable[[AsyncSession, str, str], Awaitable[User]]


class HeldArgon2(Argon2Hasher):
    """Argon2id at the suite's low cost whose `verify` first waits for `release`."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.release = threading.Event()
        self.verifying = 0  # threads inside verify right now
        self._lock = threading.Lock()

    def hold(self) -> None:
        """Other CPU-heavy work of the flood: it holds a thread until `release`."""
        self.release.wait()

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        with self._lock:
            self.verifying += 1
        self.release.wait()
        return super().verify(password, hash)


@pytest.fixture
def held_argon2() -> Iterator[HeldArgon2]:
    """The app's PasswordHash verifies with HeldArgon2 during the test."""
    from app.core.security import password_hash

    held = HeldArgon2()
    saved = password_hash.hashers, password_hash.current_hasher
    password_hash.hashers, password_hash.current_hasher = (held,), held
    try:
        yield held
    finally:
        held.release.set()
        password_hash.hashers, password_hash.current_hasher = saved


@pytest.fixture
async def small_pool(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncEngine]:
    """The app's `get_db` on an engine of 2 connections and no overflow, on the test's schema."""
    schema_engine = session_factory.kw["bind"]
    async with schema_engine.connect() as connection:
        search_path = await connection.scalar(text("SHOW search_path"))
    server_settings = {"search_path": str(search_path), "application_name": POOL}
    small = create_async_engine(
        schema_engine.url,
        pool_size=POOL_SIZE,
        max_overflow=0,
        pool_timeout=0.5,
        connect_args={"server_settings": server_settings},
    )
    monkeypatch.setitem(AsyncSessionLocal.kw, "bind", small)
    yield small
    await small.dispose()


@pytest.fixture
def two_hashing_threads(monkeypatch: pytest.MonkeyPatch) -> HashingQueue:
    """The app's hashing queue with 2 threads whatever the machine's cores (its default is one
    fewer than the cores), and the setting's line; `authenticate` uses it during the test."""
    from app.core.config import get_settings

    queue = HashingQueue(POOL_SIZE, get_settings().hashing_queue)
    monkeypatch.setattr(user_service, "hashing_queue", lambda: queue)
    return queue


@pytest.fixture
async def me_headers(db_session: AsyncSession) -> dict[str, str]:
    """A signed-in user's `Authorization` header; the user is committed."""
    from app.core.config import get_settings

    user = await UserFactory(db_session).create(email="ada@example.com")
    await db_session.commit()
    return bearer(token_for(user, get_settings().jwt_secret))


def login_app(authenticate: Authenticate) -> Recorder:
    """The app's exception handlers and users router (`GET /users/me`), and a login endpoint
    that calls `authenticate` on the app's own session dependency."""
    app = FastAPI()
    add_exception_handlers(app)  # InvalidCredentials: 401; HashingBusy: 503 + Retry-After
    app.include_router(users.router)

    @app.post("/login", status_code=status.HTTP_204_NO_CONTENT)
    async def login(
        form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
    ) -> None:
        await authenticate(session, form.username, form.password)

    return Recorder(app)


async def idle_in_transaction(engine: AsyncEngine) -> int:
    """Backends of the small pool that hold a transaction open and do nothing in it."""
    async with engine.connect() as connection:
        count = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :pool "
                "AND state = 'idle in transaction'"
            ),
            {"pool": POOL},
        )
    return int(count or 0)


@pytest.mark.commits  # the pool's own connections must see the committed user
async def test_hashing_inside_the_transaction_empties_the_pool(
    engine: AsyncEngine,
    small_pool: AsyncEngine,
    held_argon2: HeldArgon2,
    me_headers: dict[str, str],
    evidence: Evidence,
) -> None:
    """The Avoid's `authenticate`: with two logins inside the hasher, 2 connections are
    checked out and 2 backends `idle in transaction`; the signed-in `GET /users/me` and the
    third login wait for a connection and answer `500` (`TimeoutError: QueuePool limit of size
    2 overflow 0 reached`), nothing refusing them earlier; released, the first two answer
    `401`."""
    app = login_app(avoid.authenticate)
    logins: list[httpx.Response] = []
    async with client_of(app) as client, anyio.create_task_group() as flood:

        async def log_in() -> None:
            logins.append(await client.post("/login", data=WRONG))

        try:
            for _ in range(LOGINS):
                flood.start_soon(log_in)
            await until(lambda: held_argon2.verifying == POOL_SIZE)  # two hashing, one waiting
            checked_out = small_pool.pool.checkedout()  # type: ignore[attr-defined]
            idle = await idle_in_transaction(engine)
            me = await client.get("/users/me", headers=me_headers)
            await until(lambda: len(logins) == 1)  # the login that found no connection
        finally:
            held_argon2.release.set()

    # Both connections sat idle in transaction while their logins waited for Argon2...
    assert (checked_out, idle) == (POOL_SIZE, POOL_SIZE)
    evidence.add(
        f"connections checked out: {checked_out} of {POOL_SIZE}\n"
        f"backends idle in transaction: {idle}",
        f"{LOGINS} logins at once, two of them inside the hasher",
    )
    # ...so the signed-in request and the third login waited for a connection, then failed.
    assert me.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    evidence.add(me, "The signed-in GET /users/me meanwhile")
    assert [response.status_code for response in logins] == [
        status.HTTP_500_INTERNAL_SERVER_ERROR,  # queued into the timeout, never refused
        status.HTTP_401_UNAUTHORIZED,
        status.HTTP_401_UNAUTHORIZED,
    ]
    evidence.add(
        "\n".join(f"HTTP/1.1 {r.status_code} {r.reason_phrase}" for r in logins),
        "The three logins, in the order they answered",
    )
    assert len(app.errors) == 2
    for error in app.errors:
        assert isinstance(error, TimeoutError)
        assert str(error).startswith(
            "QueuePool limit of size 2 overflow 0 reached, connection timed out, timeout 0.50"
        )
    evidence.add(
        "\n".join(
            f"[{number}] {type(error).__module__}.{type(error).__name__}: {error}"
            for number, error in enumerate(app.errors, start=1)
        ),
        "The exceptions behind the two 500 answers",
    )


@pytest.mark.commits
async def test_hashing_after_the_read_leaves_the_pool_to_other_requests(
    engine: AsyncEngine,
    small_pool: AsyncEngine,
    held_argon2: HeldArgon2,
    me_headers: dict[str, str],
    two_hashing_threads: HashingQueue,
) -> None:
    """The app's `authenticate`: with two logins in the queue's 2 threads and the third in its
    line, 0 connections are checked out and no backend is idle in transaction, and `GET
    /users/me` answers `200`. With the line full (32 places, the `hashing_queue` setting), the
    next login answers at once `503`, `Retry-After: 1`, `{"detail": "Server busy, try again
    shortly"}`; released, the three logins answer `401`, and no request raised."""
    queue = two_hashing_threads
    threads = int(queue.limiter.total_tokens)
    app = login_app(user_service.authenticate)
    logins: list[httpx.Response] = []
    async with client_of(app) as client, anyio.create_task_group() as flood:

        async def log_in() -> None:
            logins.append(await client.post("/login", data=WRONG))

        try:
            for _ in range(LOGINS):
                flood.start_soon(log_in)
            # Two logins hash in the queue's two threads, the third waits in its line
            await until(lambda: held_argon2.verifying == threads)
            # (or, were connections held, has given up waiting for one)
            await until(lambda: queue.limiter.statistics().tasks_waiting == 1 or logins != [])
            hashing = held_argon2.verifying
            checked_out = small_pool.pool.checkedout()  # type: ignore[attr-defined]
            idle = await idle_in_transaction(engine)
            me = await client.get("/users/me", headers=me_headers)
            # The rest of the flood fills the line; the next login is refused, not queued.
            for _ in range(queue.waiting - queue.limiter.statistics().tasks_waiting):
                flood.start_soon(queue.run, held_argon2.hold)
            await until(lambda: queue.limiter.statistics().tasks_waiting == queue.waiting)
            with anyio.fail_after(5):  # had it joined the line, it would wait for `release`
                refused = await client.post("/login", data=WRONG)
        finally:
            held_argon2.release.set()

    assert (threads, hashing) == (POOL_SIZE, POOL_SIZE)  # two hashing, the third in line
    assert (checked_out, idle) == (0, 0)  # three logins under way, no connection held
    assert me.status_code == status.HTTP_200_OK
    assert me.json()["email"] == "ada@example.com"
    assert refused.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {"detail": "Server busy, try again shortly"}
    assert [response.status_code for response in logins] == [status.HTTP_401_UNAUTHORIZED] * 3
    assert app.errors == []


async def test_hashing_inside_the_transaction_passes_a_quiet_test(db_session: AsyncSession) -> None:
    """Why the Avoid survives review: one login at a time it answers like the Do. The right
    password returns the user; a wrong one, and an unknown e-mail, raise
    `InvalidCredentials`."""
    await UserFactory(db_session).create(email="ada@example.com")

    user = await avoid.authenticate(db_session, "ada@example.com", PASSWORD)
    with pytest.raises(InvalidCredentials):
        await avoid.authenticate(db_session, "ada@example.com", "not the password at all")
    with pytest.raises(InvalidCredentials):
        await avoid.authenticate(db_session, "nobody@example.com", PASSWORD)

    assert user.email == "ada@example.com"
