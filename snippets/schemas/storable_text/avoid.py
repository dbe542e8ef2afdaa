"""Sign-up and the admin search with plain `str`: a NUL character is valid JSON and a valid
Python `str`, so it passes validation and reaches PostgreSQL, whose text cannot hold it. The
driver raises, and the client gets a 500."""

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints
from sqlalchemy import select

from app.api.deps import SessionDep
from app.core.security import hash_password
from app.models import User
from app.schemas.user import UserRead


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: Annotated[str, Field(min_length=12, max_length=128)]
    full_name: Annotated[str, StringConstraints(max_length=200)] | None = None  # NUL passes


router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def sign_up(data: SignUp, session: SessionDep) -> User:
    hashed = await to_thread.run_sync(hash_password, data.password)
    user = User(email=data.email, full_name=data.full_name, hashed_password=hashed)
    session.add(user)
    await session.commit()  # INSERT ... 'Ada\x00': CharacterNotInRepertoireError
    return user


@router.get("", response_model=list[UserRead], status_code=status.HTTP_200_OK)
async def search_users(
    session: SessionDep, q: Annotated[str, Query(max_length=50)]  # NUL passes
) -> list[User]:
    return list(await session.scalars(select(User).where(User.full_name.icontains(q))))
