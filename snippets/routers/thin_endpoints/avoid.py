"""The work done inside the endpoints: queries, hashing and rules, copied from one to the next."""

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select

from app.api.deps import SessionDep, require_admin
from app.core.security import hash_password
from app.models import User
from app.schemas.user import UserCreate, UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def sign_up(data: UserCreate, session: SessionDep) -> User:
    taken = await session.scalar(select(User.id).where(User.email == data.email))
    if taken is not None:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Email already registered")
    user = User(
        email=data.email, full_name=data.full_name, hashed_password=hash_password(data.password)
    )
    session.add(user)
    await session.commit()
    return user


@router.post(
    "/admin",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
)
async def create_user_as_admin(data: UserCreate, session: SessionDep) -> User:
    user = User(  # copied from sign_up, minus the check for a taken email
        email=data.email, full_name=data.full_name, hashed_password=hash_password(data.password)
    )
    session.add(user)
    await session.commit()
    return user
