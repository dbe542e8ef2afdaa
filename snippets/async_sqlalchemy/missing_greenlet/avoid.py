"""Expiring commits, lazy relationships, sync APIs on the async engine: I/O nothing can await."""

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db.session import engine
from snippets.async_sqlalchemy.missing_greenlet.models import Author, Book

SessionLocal = async_sessionmaker(engine)  # expire_on_commit=True by default  # expect: RB304


async def create_author(session: AsyncSession, name: str, titles: list[str]) -> Author:
    author = Author(name=name, books=[Book(title=title) for title in titles])
    session.add(author)
    await session.commit()  # expires every attribute of author
    return author  # reading author.name now needs a SELECT -> MissingGreenlet  # expect: RB303


async def list_authors(session: AsyncSession) -> list[Author]:
    result = await session.scalars(select(Author).order_by(Author.id))
    return list(result)  # reading author.books later needs a lazy load -> MissingGreenlet


async def list_books(session: AsyncSession) -> list[Book]:
    result = await session.scalars(select(Book).order_by(Book.id))
    return list(result)  # reading book.author later needs a lazy load -> MissingGreenlet


async def table_names(engine: AsyncEngine) -> list[str]:
    # A sync API on the async engine's sync facade: its I/O cannot be awaited -> MissingGreenlet
    return inspect(engine.sync_engine).get_table_names()
