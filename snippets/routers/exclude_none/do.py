"""`response_model_exclude_none=True` on purpose: a compact card whose optional fields are
declared optional (with a default), so the schema itself says they may be absent."""

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, EmailStr

from app.api.deps import CurrentUser
from app.models import User


class UserCard(BaseModel):
    """What an autocomplete list shows of a user; unknown fields are left out, not null."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str | None = None  # optional in the schema: absent when the user has no name


router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "/me/card",
    response_model=UserCard,
    response_model_exclude_none=True,
    status_code=status.HTTP_200_OK,
)
async def read_my_card(user: CurrentUser) -> User:
    return user
