"""An endpoint the tests call: it counts users through the app's `get_db` session."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models import User

router = APIRouter()


@router.get("/stats/users")
async def count_users(session: Annotated[AsyncSession, Depends(get_db)]) -> dict[str, int]:
    return {"users": await session.scalar(select(func.count()).select_from(User)) or 0}
