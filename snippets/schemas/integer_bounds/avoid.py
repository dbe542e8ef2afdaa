"""An id and a page number as `int`s bounded below only: 2147483648 is a valid Python `int`,
so it passes validation, but the driver cannot send it as PostgreSQL's `integer` (the id
column), and a huge page makes an OFFSET beyond `bigint`. The client gets a 500, not a 422."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy import select

from app.api.deps import SessionDep
from app.models import User
from app.schemas.user import UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/{user_id}", response_model=UserRead, status_code=status.HTTP_200_OK)
async def read_user(user_id: Annotated[int, Path(gt=0)], session: SessionDep) -> User:
    user = await session.get(User, user_id)  # 2**31: "value out of int32 range"
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return user


@router.get("", response_model=list[UserRead], status_code=status.HTTP_200_OK)
async def list_users(
    session: SessionDep,
    page: Annotated[int, Query(ge=1)] = 1,  # 2**62: OFFSET (2**62 - 1) * 20 is beyond int64
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[User]:
    stmt = select(User).order_by(User.id).offset((page - 1) * size).limit(size)
    return list(await session.scalars(stmt))
