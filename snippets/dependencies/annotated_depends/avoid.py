"""A session the endpoint opens itself, and `Depends()` used as a default value."""

from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import AsyncSessionLocal, get_db
from app.models import User

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/active-count")
async def count_active_users() -> int:
    async with AsyncSessionLocal() as session:  # opened here: nothing can replace it
        stmt = select(func.count()).select_from(User).where(User.is_active)
        return (await session.execute(stmt)).scalar_one()


@router.get("/count")
# expect: ruff:B008, ruff:FAST002
async def count_users(session: AsyncSession = Depends(get_db)) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()
