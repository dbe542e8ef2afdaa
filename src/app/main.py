"""The application factory: lifespan and router mounting."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from app.db.session import engine


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Startup: fail fast if the database is unreachable.
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    yield
    # Shutdown: close every pooled connection.
    await engine.dispose()


def create_app() -> FastAPI:
    app = FastAPI(title="Reference app", lifespan=lifespan)
    return app


# --8<-- [end:lifespan]
app = create_app()
