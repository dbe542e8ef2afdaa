"""Default sessionmaker and lazy relationships: reads after the await need I/O."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.session import engine
from snippets.async_sqlalchemy.missing_greenlet.models import Author, Book

SessionLocal = async_sessionmaker(engine)  # expire_on_commit=True by default


async def create_author(session: AsyncSession, name: str, titles: list[str]) -> Author:
    author = Author(name=name, books=[Book(title=title) for title in titles])
    session.add(author)
    await session.commit()  # expires every attribute of author
    return author  # reading author.name now needs a SELECT -> MissingGreenlet


async def list_authors(session: AsyncSession) -> list[Author]:
    result = await session.scalars(select(Author).order_by(Author.id))
    return list(result)  # reading author.books later needs a lazy load -> MissingGreenlet
