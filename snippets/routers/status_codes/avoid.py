"""Create and delete left on the default status code, and a code written as a bare number."""

from fastapi import APIRouter

from app.api.deps import CurrentUser, SessionDep
from app.models import User
from app.schemas.user import UserCreate, UserRead, UserUpdate
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserRead)  # expect: RB603
async def create_user(data: UserCreate, session: SessionDep) -> User:
    return await user_service.create_user(session, data)


@router.patch("/me", response_model=UserRead, status_code=200)  # expect: RB602
async def update_me(data: UserUpdate, user: CurrentUser, session: SessionDep) -> User:
    return await user_service.update_user(session, user, data)


@router.delete("/me")  # expect: RB604
async def delete_me(user: CurrentUser, session: SessionDep) -> None:
    await user_service.delete_user(session, user.id)
