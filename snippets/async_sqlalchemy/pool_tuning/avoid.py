"""An engine left to the defaults: no pre-ping, and a pool sized for nobody in particular."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def create_engine_with_defaults(url: str) -> AsyncEngine:
    # expect: RB308
    return create_async_engine(url)  # pool_pre_ping=False, pool_size=5, max_overflow=10
