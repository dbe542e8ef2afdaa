"""The app creates its tables at startup with `create_all`, instead of migrating them."""

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    phone: Mapped[str | None]  # new in release 2; release 1 created the table without it


async def create_tables(engine: AsyncEngine) -> None:
    """Called from the lifespan at every startup."""
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)  # expect: RB307
