"""Proofs for async-sqlalchemy/missing-greenlet: attribute reads that need I/O after the await
raise MissingGreenlet; eager loading plus expire_on_commit=False keeps the data readable."""

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, status
from fastapi.exceptions import ResponseValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import MissingGreenlet, NoInspectionAvailable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import DetachedInstanceError

from app.db.session import AsyncSessionLocal, engine, get_db
from snippets.async_sqlalchemy.missing_greenlet import avoid, do
from snippets.async_sqlalchemy.missing_greenlet.models import Author, Base, Book
from snippets.async_sqlalchemy.missing_greenlet.schemas import AuthorRead
from tests.evidence import Evidence
from tests.rules.async_sqlalchemy.recording import recorded_selects

MISSING_GREENLET = (
    "greenlet_spawn has not been called; can't call await_only() here. "
    "Was IO attempted in an unexpected place?"
)
LE_GUIN = ("Ursula K. Le Guin", ["A Wizard of Earthsea", "The Dispossessed"])
PRATCHETT = ("Terry Pratchett", ["Mort", "Small Gods"])


@pytest.fixture
async def connection(db_session: AsyncSession) -> AsyncConnection:
    """The test's connection (inside its rolled-back transaction), with the snippet's tables."""
    connection = await db_session.connection()
    await connection.run_sync(Base.metadata.create_all)
    return connection


def session_on(
    factory: async_sessionmaker[AsyncSession], connection: AsyncConnection
) -> AsyncSession:
    """A session from `factory`, keeping its settings, on the test's connection."""
    return factory(bind=connection, join_transaction_mode="create_savepoint")


async def test_read_after_commit_raises_missing_greenlet(
    connection: AsyncConnection, evidence: Evidence
) -> None:
    """After the Avoid's commit every attribute is expired: reading `author.name` in the
    session raises `MissingGreenlet` though both books are stored, and `DetachedInstanceError`
    once the session is closed."""
    async with session_on(avoid.SessionLocal, connection) as session:
        author = await avoid.create_author(session, *LE_GUIN)

        # The commit expired every loaded attribute: reading one needs a SELECT, and a plain
        # attribute read cannot await it.
        assert inspect(author).expired_attributes >= {"id", "name", "books"}
        with pytest.raises(MissingGreenlet, match=re.escape(MISSING_GREENLET)) as error:
            _ = author.name
        assert "https://sqlalche.me/e/20/xd2s" in str(error.value)
        evidence.add(error.value, "author.name, after await session.commit()")

        # The row is there: the failure is the read, not the data.
        assert await session.scalar(select(func.count()).select_from(Book)) == 2

    # Once the session is closed, the expired object cannot be refreshed at all.
    with pytest.raises(
        DetachedInstanceError, match="attribute refresh operation cannot proceed"
    ) as detached:
        _ = author.name
    evidence.add(detached.value, "author.name, once the session is closed")


async def test_lazy_relationship_raises_missing_greenlet(
    connection: AsyncConnection, evidence: Evidence
) -> None:
    """The Avoid's query loads `name` and leaves `books` for a lazy load: reading
    `author.books` raises `MissingGreenlet`."""
    async with session_on(AsyncSessionLocal, connection) as session:
        await do.create_author(session, *LE_GUIN)

    async with session_on(avoid.SessionLocal, connection) as session:
        (author,) = await avoid.list_authors(session)
        assert author.name == LE_GUIN[0]  # loaded by the query
        assert "books" in inspect(author).unloaded  # left for a lazy load
        with pytest.raises(MissingGreenlet, match=re.escape(MISSING_GREENLET)) as error:
            _ = author.books
    evidence.add(error.value, "author.books, never loaded")


def author_api(
    get_session: Callable[[], AsyncIterator[AsyncSession]],
    create_author: Callable[[AsyncSession, str, list[str]], Awaitable[Author]],
) -> FastAPI:
    """An app with one endpoint serving `create_author` through `response_model=AuthorRead`."""
    app = FastAPI()

    @app.post("/authors", response_model=AuthorRead, status_code=status.HTTP_201_CREATED)
    async def post_author(session: Annotated[AsyncSession, Depends(get_session)]) -> Author:
        return await create_author(session, *LE_GUIN)

    return app


async def test_endpoint_fails_serializing_an_expired_object(
    connection: AsyncConnection, evidence: Evidence
) -> None:
    """Served through `response_model=AuthorRead`, the Avoid's expired author is a bare 500;
    behind it a `ResponseValidationError` with a `get_attribute_error` (`MissingGreenlet`) at
    `id`, `name` and `books`."""

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with session_on(avoid.SessionLocal, connection) as session:
            yield session

    app = author_api(get_session, avoid.create_author)
    # As a server runs it: the exception becomes a bare 500 for the client.
    served = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=served, base_url="http://test") as client:
        response = await client.post("/authors")
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"
    evidence.add(response, "What the client gets")

    # The exception behind it, as the server logs it.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with pytest.raises(ResponseValidationError) as error:
            await client.post("/authors")

    # FastAPI reads the response model from the object's attributes; each read failed.
    errors = error.value.errors()
    evidence.add(
        "\n".join(f"{e['loc']}: {e['type']}: {e['msg']}" for e in errors),
        "ResponseValidationError.errors(), as the server logs them",
    )
    assert [e["loc"] for e in errors] == [
        ("response", "id"),
        ("response", "name"),
        ("response", "books"),
    ]
    assert {e["type"] for e in errors} == {"get_attribute_error"}
    assert {e["msg"] for e in errors} == {
        f"Error extracting attribute: MissingGreenlet: {MISSING_GREENLET} "
        "(Background on this error at: https://sqlalche.me/e/20/xd2s)"
    }


@pytest.mark.commits
async def test_endpoint_returns_the_created_author() -> None:
    """The Do's `create_author` behind the app's own `get_db`, with a real commit: 201 with the
    author and both book titles, and a new session reads them back."""
    # The app's own get_db on the app's engine: the commit is real, so the snippet's tables
    # are created for this test and dropped after it.
    async with engine.begin() as ddl:
        await ddl.run_sync(Base.metadata.create_all)
    try:
        app = author_api(get_db, do.create_author)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post("/authors")

        assert response.status_code == status.HTTP_201_CREATED
        body = response.json()
        assert isinstance(body.pop("id"), int)
        assert body == {"name": LE_GUIN[0], "books": [{"title": title} for title in LE_GUIN[1]]}
        # Committed: a new session sees the author and both books.
        async with AsyncSessionLocal() as session:
            authors = await do.list_authors(session)
        assert [(a.name, [b.title for b in a.books]) for a in authors] == [LE_GUIN]
    finally:
        async with engine.begin() as ddl:
            await ddl.run_sync(Base.metadata.drop_all)


async def test_eager_load_and_no_expiry_keep_data_readable(connection: AsyncConnection) -> None:
    """With the app's `expire_on_commit=False` and `selectinload`, the created author and every
    listed author's books stay readable after commit and close: two `SELECT`s in all, the
    second `WHERE books.author_id IN (...)`."""
    # The app's own session factory: expire_on_commit=False.
    async with session_on(AsyncSessionLocal, connection) as session:
        created = await do.create_author(session, *LE_GUIN)
        await do.create_author(session, *PRATCHETT)
    # The session is closed, yet everything created is still readable without I/O.
    assert isinstance(created.id, int)
    assert created.name == LE_GUIN[0]
    assert [book.title for book in created.books] == LE_GUIN[1]

    async with session_on(AsyncSessionLocal, connection) as session:
        with recorded_selects(connection) as selects:
            authors = await do.list_authors(session)

    assert [(a.name, [b.title for b in a.books]) for a in authors] == [LE_GUIN, PRATCHETT]
    assert AuthorRead.model_validate(authors[0]).model_dump() == {
        "id": authors[0].id,
        "name": LE_GUIN[0],
        "books": [{"title": title} for title in LE_GUIN[1]],
    }
    # One SELECT for the authors and one for all their books, however many authors there are.
    assert len(selects) == 2
    assert "FROM authors" in selects[0]
    assert "FROM books" in selects[1]
    assert "WHERE books.author_id IN (" in selects[1]


async def test_joinedload_reads_many_to_one_in_the_same_select(
    connection: AsyncConnection,
) -> None:
    """`joinedload` brings each book's author in the same `SELECT ... LEFT OUTER JOIN
    authors`: readable after the session is closed."""
    async with session_on(AsyncSessionLocal, connection) as session:
        await do.create_author(session, *LE_GUIN)
        await do.create_author(session, *PRATCHETT)

    async with session_on(AsyncSessionLocal, connection) as session:
        with recorded_selects(connection) as selects:
            books = await do.list_books(session)

    # The session is closed: every book's author came with the book.
    assert [(b.title, b.author.name) for b in books] == [
        (title, name) for name, titles in (LE_GUIN, PRATCHETT) for title in titles
    ]
    assert len(selects) == 1
    assert "FROM books LEFT OUTER JOIN authors" in selects[0]


async def test_lazy_many_to_one_raises_missing_greenlet(
    connection: AsyncConnection, evidence: Evidence
) -> None:
    """The Avoid's `list_books` leaves `author` unloaded: `book.author` raises `MissingGreenlet`,
    unless the session already holds that author, which hides the bug from such tests."""
    async with session_on(AsyncSessionLocal, connection) as session:
        await do.create_author(session, *LE_GUIN)

    async with session_on(avoid.SessionLocal, connection) as session:
        books = await avoid.list_books(session)
        assert "author" in inspect(books[0]).unloaded
        with pytest.raises(MissingGreenlet, match=re.escape(MISSING_GREENLET)) as error:
            _ = books[0].author
    evidence.add(error.value, "book.author, never loaded")

    # The same read passes when the author happens to be in the session already: a many-to-one
    # lazy load looks in the identity map before it queries. Tests that load authors first pass.
    async with session_on(avoid.SessionLocal, connection) as session:
        authors = await avoid.list_authors(session)  # held: the identity map is weak
        books = await avoid.list_books(session)
        with recorded_selects(connection) as selects:
            assert books[0].author is authors[0]
        assert selects == []


async def test_sync_api_on_the_async_engine_raises_missing_greenlet(evidence: Evidence) -> None:
    """The Avoid's `inspect(engine.sync_engine)` raises `MissingGreenlet`; `inspect(engine)` is
    refused with `NoInspectionAvailable`, pointing at `run_sync`."""
    with pytest.raises(MissingGreenlet, match=re.escape(MISSING_GREENLET)) as error:
        await avoid.table_names(engine)
    evidence.add(error.value, "inspect(engine.sync_engine).get_table_names()")
    # Inspecting the async engine itself is refused outright, pointing at run_sync.
    with pytest.raises(NoInspectionAvailable) as refused:
        inspect(engine)
    evidence.add(refused.value, "inspect(engine)")
    assert str(refused.value).startswith(
        "Inspection on an AsyncEngine is currently not supported. Please obtain a connection "
        "then use ``conn.run_sync`` to pass a callable where it's possible to call ``inspect`` "
        "on the passed connection."
    )


async def test_run_sync_runs_sync_apis_on_the_async_engine() -> None:
    """The same inspector call inside `run_sync` lists the database's tables, `users` among
    them."""
    # The run's tables (created from app.models) are in the app's database.
    assert "users" in await do.table_names(engine)
