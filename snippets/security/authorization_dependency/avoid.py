"""Authorization decided by what the client sends: a user id in the path, a role in a header."""

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, status

from app.api.deps import CurrentUser, SessionDep
from app.models import User
from app.schemas.user import UserRead, UserUpdate
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.patch("/{user_id}", response_model=UserRead, status_code=status.HTTP_200_OK)
async def update_user(
    user_id: int, data: UserUpdate, current: CurrentUser, session: SessionDep
) -> User:
    # Signed in is enough; the path says whose account to change.
    user = await user_service.get_user(session, user_id)
    return await user_service.update_user(session, user, data)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    user_id: int, current: CurrentUser, session: SessionDep, x_role: Annotated[str, Header()] = ""
) -> None:
    # The front end sends X-Role: admin for admins.
    if x_role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Admin privileges required")
    await user_service.delete_user(session, user_id)
