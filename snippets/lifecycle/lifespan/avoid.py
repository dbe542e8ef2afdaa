"""Startup and shutdown work on `@app.on_event`: deprecated by FastAPI."""

from fastapi import FastAPI
from sqlalchemy import text

from app.db.session import engine


def create_app() -> FastAPI:
    app = FastAPI(title="Reference app")

    @app.on_event("startup")  # DeprecationWarning  # expect: RB701, mypy:deprecated
    async def check_database() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    @app.on_event("shutdown")  # DeprecationWarning  # expect: RB701, mypy:deprecated
    async def dispose_engine() -> None:
        await engine.dispose()

    return app
