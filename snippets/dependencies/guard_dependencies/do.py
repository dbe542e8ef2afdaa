"""An admin-only router: the guard sits in the router's `dependencies`, so it runs before every
route on it, and no endpoint takes a parameter it does not use."""

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel
from sqlalchemy import func, select

from app.api.deps import SessionDep, require_admin
from app.models import User


class UserStats(BaseModel):
    total: int
    active: int
    admins: int


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/stats", response_model=UserStats, status_code=status.HTTP_200_OK)
async def user_stats(session: SessionDep) -> UserStats:
    stmt = select(
        func.count(),
        func.count().filter(User.is_active),
        func.count().filter(User.is_admin),
    ).select_from(User)
    total, active, admins = (await session.execute(stmt)).one()
    return UserStats(total=total, active=active, admins=admins)
