"""An async engine on psycopg2: what `postgresql+psycopg2://`, and a bare `postgresql://`, mean."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

PSYCOPG2_URL = "postgresql+psycopg2://app:secret@db.internal:5432/app"  # expect: RB104
DEFAULT_DRIVER_URL = "postgresql://app:secret@db.internal:5432/app"  # psycopg2 by default


def make_engine(url: str) -> AsyncEngine:
    return create_async_engine(url, pool_pre_ping=True)
