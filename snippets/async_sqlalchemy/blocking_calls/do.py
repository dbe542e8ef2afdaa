"""Async all the way down: awaited I/O, and blocking work handed to a worker thread."""

from typing import Annotated

import anyio
import anyio.to_thread
import httpx
from fastapi import APIRouter, Depends, Response
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models import User
from snippets.async_sqlalchemy.blocking_calls.work import WORK_SECONDS, RatesURL, render_pdf

router = APIRouter()
SessionDep = Annotated[AsyncSession, Depends(get_db)]


@router.get("/reports/slow")
async def slow_report(session: SessionDep) -> dict[str, str]:
    # AsyncSession on asyncpg: while PostgreSQL works, the event loop serves other requests.
    await session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": WORK_SECONDS})
    return {"report": "ready"}


@router.get("/rates")
async def rates(url: RatesURL) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        response = await client.get(url)
    response.raise_for_status()
    body: dict[str, float] = response.json()
    return body


@router.get("/throttled")
async def throttled() -> dict[str, str]:
    await anyio.sleep(WORK_SECONDS)  # wait out a rate limit without stopping the loop
    return {"status": "done"}


@router.get("/export")
async def export() -> Response:
    # No async version exists: run it in a worker thread and await the result.
    pdf = await anyio.to_thread.run_sync(render_pdf, "monthly")
    return Response(pdf, media_type="application/pdf")


@router.post("/users/{user_id}/deactivate")
async def deactivate(user_id: int, session: SessionDep) -> dict[str, bool]:
    # `async def`, so the AsyncSession can be awaited.
    await session.execute(update(User).where(User.id == user_id).values(is_active=False))
    await session.commit()
    return {"deactivated": True}
