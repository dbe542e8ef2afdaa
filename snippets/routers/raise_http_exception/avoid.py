"""An error returned as data: the response says 200 OK, whatever the body says."""

from typing import Any

from fastapi import APIRouter

from app.api.deps import SessionDep
from app.models import User
from app.repositories import users as user_repository
from app.schemas.user import UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/{user_id}")
async def read_user(user_id: int, session: SessionDep) -> dict[str, Any]:
    user: User | None = await user_repository.get(session, user_id)
    if user is None:
        return {"error": "User not found"}  # expect: RB605
    return UserRead.model_validate(user).model_dump(mode="json")
