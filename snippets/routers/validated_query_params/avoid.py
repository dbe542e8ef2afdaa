"""Pagination and filter parameters with bare types: any int, any string, any length."""

from fastapi import APIRouter
from sqlalchemy import select

from app.api.deps import SessionDep
from app.models import User
from app.schemas.user import UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=list[UserRead])
async def list_users(
    session: SessionDep, page: int = 1, size: int = 20, q: str | None = None  # expect: RB606
) -> list[User]:
    stmt = select(User).order_by(User.id).offset((page - 1) * size).limit(size)
    if q is not None:
        stmt = stmt.where(User.email.contains(q))
    return list(await session.scalars(stmt))
