"""One schema for the request body and the response: it carries every column of the table."""

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, EmailStr

from app.api.deps import SessionDep
from app.core.security import hash_password
from app.models import User


class UserSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int | None = None
    email: EmailStr
    full_name: str | None = None
    password: str | None = None  # only meant for requests
    hashed_password: str | None = None  # only meant for... nothing  # expect: RB406
    is_active: bool = True
    is_admin: bool = False


router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserSchema, status_code=status.HTTP_201_CREATED)
async def create_user(data: UserSchema, session: SessionDep) -> User:
    user = User(
        email=data.email,
        full_name=data.full_name,
        hashed_password=hash_password(data.password or ""),
        is_active=data.is_active,
        is_admin=data.is_admin,
    )
    session.add(user)
    await session.commit()
    return user
