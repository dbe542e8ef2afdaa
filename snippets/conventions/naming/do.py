"""Names that say what a thing is, and one schema per intent, apart from the ORM `User`."""

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from app.api.deps import SessionDep
from app.core.security import hash_password
from app.models import User

DEFAULT_PAGE_SIZE = 20  # constants: UPPER_SNAKE


class UserCreate(BaseModel):  # classes: PascalCase; schemas: resource + intent
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=12, max_length=128)
    full_name: str | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str | None
    is_active: bool


router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(data: UserCreate, session: SessionDep) -> UserRead:  # functions: snake_case
    user = User(
        email=data.email, full_name=data.full_name, hashed_password=hash_password(data.password)
    )
    session.add(user)
    await session.commit()
    return UserRead.model_validate(user)


@router.patch("/{user_id}")
async def update_user(user_id: int, data: UserUpdate, session: SessionDep) -> UserRead:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    await session.commit()
    return UserRead.model_validate(user)
