"""Load what you will read inside the query; keep it loaded after commit."""

from sqlalchemy import Connection, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from snippets.async_sqlalchemy.missing_greenlet.models import Author, Book


async def create_author(session: AsyncSession, name: str, titles: list[str]) -> Author:
    author = Author(name=name, books=[Book(title=title) for title in titles])
    session.add(author)
    await session.commit()
    # The session comes from AsyncSessionLocal (expire_on_commit=False): nothing was expired,
    # so the caller reads author.id, author.name and author.books without any I/O.
    return author


async def list_authors(session: AsyncSession) -> list[Author]:
    # A collection: selectinload fetches the books of all these authors in one more SELECT.
    stmt = select(Author).options(selectinload(Author.books)).order_by(Author.id)
    return list(await session.scalars(stmt))


async def list_books(session: AsyncSession) -> list[Book]:
    # Many-to-one: joinedload brings each book's author in the same SELECT.
    stmt = select(Book).options(joinedload(Book.author)).order_by(Book.id)
    return list(await session.scalars(stmt))


async def table_names(engine: AsyncEngine) -> list[str]:
    # Sync-only APIs (the inspector, metadata.create_all, ...) go through run_sync, which runs
    # them where SQLAlchemy can await their I/O.
    def names(connection: Connection) -> list[str]:
        return inspect(connection).get_table_names()

    async with engine.connect() as connection:
        return await connection.run_sync(names)
