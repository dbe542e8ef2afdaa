"""A response schema holding `hashed_password`, hidden per route with `response_model_exclude`."""

from datetime import datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, EmailStr

from app.api.deps import CurrentUser, SessionDep
from app.models import User


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str | None
    hashed_password: str  # expect: RB406
    is_admin: bool
    created_at: datetime


router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)  # the exclude was forgotten here
async def read_me(user: CurrentUser) -> User:
    return user


@router.get(
    "/{user_id}",
    response_model=UserOut,
    response_model_exclude={"hashed_password", "is_admin"},
)
async def read_user(user_id: int, session: SessionDep) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
