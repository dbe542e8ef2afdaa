"""Test database for the whole suite: one server per run, and a fresh database for each process
that runs tests (the run itself, or each pytest-xdist worker, all on the controller's server).

`app` is imported inside the fixtures, never at the top of this file: `app.db.session` builds
its engine from the settings at import, so APP_DATABASE_URL must be set (pytest_configure) first.
"""

import gc
import importlib
import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.base import HasherProtocol
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A fixture, found by pytest in this module's namespace: the run's builds start early.
from tests.build_once import early_builds  # noqa: F401
from tests.database import (
    DatabaseServer,
    DatabaseSetupError,
    RunDatabase,
    choose_backend,
    create_run_database,
    open_run_database,
    shared_server,
    shared_server_fields,
    start_server,
)
from tests.lint import share_mypy_batch, start_mypy_batch

# Tests marked `timing` run after every other test, alone; Avoid proofs keep their evidence;
# pytester runs the evidence plugin's own tests on projects of their own, in this process.
pytest_plugins = ["tests.scheduling", "tests.evidence", "pytester"]

RUN_DATABASE = pytest.StashKey[RunDatabase]()
# Under pytest-xdist: the server the controller started for its workers, which run the tests.
WORKERS_SERVER = pytest.StashKey[DatabaseServer]()
SERVER_INPUT = "rulebook_database_server"  # the key of the server in each worker's workerinput
# Under pytest-xdist: the folder every worker's mypy batch shares (tests/lint.py).
MYPY_BATCH = pytest.StashKey[Path]()
MYPY_BATCH_INPUT = "rulebook_mypy_batch"
COMMITS_MARKER = "commits"
ARGON2_COST_MARKER = "argon2_cost"
# Argon2id at its lowest cost: about 1 ms a hash here, against about 110 ms at the app's own
# parameters, which some 70 sign-ups and logins in the suite would pay for nothing.
QUICK_ARGON2 = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    # A run started in the background of a shell (`uv run pytest &`) has Ctrl-C ignored, and
    # every program it starts inherits that: the Ctrl-C proofs' servers would never see it.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    config.addinivalue_line(
        "markers",
        f"{COMMITS_MARKER}: test needs real commits or concurrent connections; gets its own schema",
    )
    config.addinivalue_line(
        "markers",
        f"{ARGON2_COST_MARKER}: test hashes passwords at the app's own Argon2 parameters, because "
        "it is about them (the others use Argon2id at its lowest cost)",
    )
    if config.option.help:
        return  # `pytest --help` needs no server
    try:
        open_test_database(config)
    except DatabaseSetupError as error:
        raise pytest.UsageError(str(error)) from None  # the message alone, no traceback
    os.environ.setdefault("APP_JWT_SECRET", secrets.token_urlsafe(32))
    # The reference app as a developer runs it: its docs on, and the test clients' hosts
    # (`http://test`, TestClient's `testserver`) allowed. Tests of the defaults unset them.
    os.environ.setdefault("APP_API_DOCS", "true")
    os.environ.setdefault("APP_ALLOWED_HOSTS", '["test", "testserver", "localhost", "127.0.0.1"]')


def open_test_database(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and MYPY_BATCH_INPUT in workerinput:
        share_mypy_batch(Path(workerinput[MYPY_BATCH_INPUT]))
    if workerinput is not None:  # an xdist worker: a database of its own on the shared server
        run = create_run_database(shared_server(workerinput[SERVER_INPUT]))
    elif distributes_tests(config):  # the xdist controller runs no test: the server alone
        config.stash[WORKERS_SERVER] = start_server(choose_backend())
        return
    else:
        run = open_run_database()
    config.stash[RUN_DATABASE] = run
    os.environ["APP_DATABASE_URL"] = run.url_string


def distributes_tests(config: pytest.Config) -> bool:
    """Whether this process is a pytest-xdist controller handing the tests to workers."""
    dist = getattr(config.option, "dist", "no")
    return dist != "no" and not config.option.collectonly


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist, before a worker starts: tell it where the server is, and where the run's mypy
    batch is kept."""
    server = node.config.stash[WORKERS_SERVER]
    node.workerinput[SERVER_INPUT] = shared_server_fields(server)
    if MYPY_BATCH not in node.config.stash:
        node.config.stash[MYPY_BATCH] = Path(tempfile.mkdtemp(prefix="rulebook-mypy-")).resolve()
    node.workerinput[MYPY_BATCH_INPUT] = str(node.config.stash[MYPY_BATCH])


def pytest_collection_finish(session: pytest.Session) -> None:
    # What is loaded by now (FastAPI, SQLAlchemy, every test module) lives until the end: taken
    # out of the collector's sight, the collections during and after the tests skip it.
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    # Runs on normal exit and after Ctrl-C alike (pytest calls it from a `finally`).
    run = config.stash.get(RUN_DATABASE, None)
    if run is not None:
        del config.stash[RUN_DATABASE]
        run.close()
    server = config.stash.get(WORKERS_SERVER, None)
    if server is not None:
        del config.stash[WORKERS_SERVER]
        server.stop()
    mypy_batch = config.stash.get(MYPY_BATCH, None)
    if mypy_batch is not None:
        del config.stash[MYPY_BATCH]
        shutil.rmtree(mypy_batch, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str | None:
    run = config.stash.get(RUN_DATABASE, None)
    if run is not None:
        return run.describe()
    server = config.stash.get(WORKERS_SERVER, None)
    if server is not None:
        return f"database: {server.backend} PostgreSQL ({server.where}), a database per worker"
    return None


@pytest.fixture(scope="session", autouse=True)
def early_mypy_batch(request: pytest.FixtureRequest) -> Iterator[None]:
    """Before the first test, start the mypy batch if a selected test reads it (tests/lint.py);
    at the end, wait for it, so no mypy outlives the run."""
    thread = start_mypy_batch(request.session.items)
    yield
    if thread is not None:
        thread.join()


@pytest.fixture(scope="session")
def app_password_hashers() -> Sequence[HasherProtocol]:
    """The app's own hashers, as the app made them (before any test swapped them)."""
    from app.core.security import password_hash

    return password_hash.hashers


@pytest.fixture(autouse=True)
def password_cost(
    request: pytest.FixtureRequest, app_password_hashers: Sequence[HasherProtocol]
) -> None:
    """The app hashes with QUICK_ARGON2 during the test, unless it is marked `argon2_cost`.

    The same algorithm and code path, only fewer iterations and less memory: what the cost buys
    (slow guessing, a login as slow for unknown e-mails, rehashing old parameters) is proven by
    the marked tests, at the real cost.
    """
    from app.core.security import password_hash
    from app.services.users import _stand_in_hash
    from snippets.security.timing_safe_login.do import stand_in_hash
    from tests.app.factories import _hashed

    marked = request.node.get_closest_marker(ARGON2_COST_MARKER) is not None
    hashers = app_password_hashers if marked else (QUICK_ARGON2,)
    if password_hash.current_hasher is not hashers[0]:
        password_hash.hashers, password_hash.current_hasher = hashers, hashers[0]
        # The hashes cached for the run (the logins' stand-ins, the factories' users) were
        # made with the other parameters.
        _stand_in_hash.cache_clear()
        stand_in_hash.cache_clear()
        _hashed.cache_clear()


@pytest.fixture(scope="session")
def database_url(pytestconfig: pytest.Config) -> str:
    """The run's database as a postgresql+asyncpg:// URL, password included."""
    return pytestconfig.stash[RUN_DATABASE].url_string


# --8<-- [start:engine]
@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The run's engine; every table of `app.models` is created once, in the public schema."""
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await create_tables(connection)
    yield engine
    await engine.dispose()


async def create_tables(connection: AsyncConnection) -> None:
    from app.db.base import Base

    importlib.import_module("app.models")  # registers every model on Base.metadata
    await connection.run_sync(Base.metadata.create_all)


# --8<-- [end:engine]


# --8<-- [start:isolation]
@pytest.fixture
async def session_factory(
    request: pytest.FixtureRequest, engine: AsyncEngine
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions bound like `db_session`, for tests that need more than one.

    Normally every session joins one connection whose outer transaction is rolled back after the
    test; a session's commit() only releases a SAVEPOINT. For `commits` tests: sessions of an
    engine on a private schema, whose commits are real.
    """
    if request.node.get_closest_marker(COMMITS_MARKER) is None:
        async with engine.connect() as connection:
            outer = await connection.begin()
            yield async_sessionmaker(
                bind=connection,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
                autoflush=False,
            )
            if outer.is_active:
                await outer.rollback()
    else:
        async with private_schema(engine) as schema_engine:
            yield async_sessionmaker(schema_engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def private_schema(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """An engine whose connections use a new schema holding every table; dropped on exit."""
    schema = f"t_{secrets.token_hex(6)}"
    async with engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # Only this schema on the path: with `public` there too, create_all would find the run's
    # tables in it and create nothing here.
    schema_engine = create_async_engine(
        engine.url, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        async with schema_engine.begin() as connection:
            await create_tables(connection)
        yield schema_engine
    finally:
        await schema_engine.dispose()
        async with engine.begin() as connection:
            # A connection the test leaked could hold a lock; fail rather than hang.
            await connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
async def db_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """The test's session: commit() freely; nothing outlives the test (see `session_factory`)."""
    async with session_factory() as session:
        yield session


# --8<-- [end:isolation]


# --8<-- [start:client]
@pytest.fixture
def asgi_app(db_session: AsyncSession) -> FastAPI:
    """A fresh reference app whose `get_db` yields the test's session."""
    from app.db.session import get_db
    from app.main import create_app

    app = create_app()

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    app.dependency_overrides[get_db] = override_get_db
    return app


@pytest.fixture
async def client(asgi_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling `asgi_app` in-process: no server, no lifespan run."""
    transport = httpx.ASGITransport(app=asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http_client:
        yield http_client


# --8<-- [end:client]
