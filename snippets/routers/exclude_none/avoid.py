"""`response_model_exclude_none=True` to hide fields a wrong schema should not have had."""

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, EmailStr

from app.api.deps import CurrentUser
from app.models import User


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str | None
    hashed_password: str | None = None  # "None, so exclude_none hides it"  # expect: RB406


router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut, response_model_exclude_none=True)
async def read_me(user: CurrentUser) -> User:
    return user
