"""Blocking calls inside `async def`: each one stops the event loop, and every request with it."""

import time
from collections.abc import Iterator
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Response
from sqlalchemy import create_engine, make_url, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import get_settings
from app.db.session import get_db
from app.models import User
from snippets.async_sqlalchemy.blocking_calls.work import WORK_SECONDS, RatesURL, render_pdf

router = APIRouter()

# A second, synchronous engine (psycopg) "for the one report that is simpler in sync code".
sync_url = make_url(get_settings().database_url).set(drivername="postgresql+psycopg")
sync_engine = create_engine(sync_url)
SyncSessionLocal = sessionmaker(sync_engine)


def get_sync_db() -> Iterator[Session]:
    with SyncSessionLocal() as session:
        yield session


@router.get("/reports/slow")
# expect: RB301
async def slow_report(session: Annotated[Session, Depends(get_sync_db)]) -> dict[str, str]:
    session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": WORK_SECONDS})  # blocks
    return {"report": "ready"}


@router.get("/rates")
async def rates(url: RatesURL) -> dict[str, float]:
    # expect: ruff:ASYNC210
    body: dict[str, float] = httpx.get(url, timeout=5.0).json()  # a sync HTTP client: blocks
    return body


@router.get("/throttled")
async def throttled() -> dict[str, str]:
    time.sleep(WORK_SECONDS)  # blocks  # expect: ruff:ASYNC251
    return {"status": "done"}


@router.get("/export")
async def export() -> Response:
    return Response(render_pdf("monthly"), media_type="application/pdf")  # blocks


@router.post("/users/{user_id}/deactivate")
def deactivate(user_id: int, session: Annotated[AsyncSession, Depends(get_db)]) -> dict[str, bool]:
    # A plain `def` endpoint cannot await: this builds a coroutine and drops it.
    session.execute(update(User).where(User.id == user_id).values(is_active=False))
    return {"deactivated": True}
