"""Guards as an endpoint parameter nobody reads, and as a function that returns False.

In `dependencies=[...]` FastAPI throws a dependency's return value away: a guard must raise."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import func, select

from app.api.deps import CurrentUser, SessionDep, require_admin
from app.models import User


async def is_admin(user: CurrentUser) -> bool:
    return user.is_admin


router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/users/count")
# expect: RB501
async def count_users(session: SessionDep, admin: Annotated[None, Depends(require_admin)]) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


@router.get("/users/emails", dependencies=[Depends(is_admin)])  # expect: RB502
async def list_emails(session: SessionDep) -> list[str]:
    return list(await session.scalars(select(User.email).order_by(User.id)))
