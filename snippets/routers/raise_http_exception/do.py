"""A missing resource is an exception: raised, it becomes a 404 with a JSON `detail`."""

from fastapi import APIRouter, HTTPException, status

from app.api.deps import SessionDep
from app.models import User
from app.repositories import users as user_repository
from app.schemas.user import UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/{user_id}", response_model=UserRead, status_code=status.HTTP_200_OK)
async def read_user(user_id: int, session: SessionDep) -> User:
    user = await user_repository.get(session, user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
