"""Who may change a user is decided in a dependency, from the signed-in user as PostgreSQL
stores them: the user themself or an admin. Nothing the client sends decides it."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, status

from app.api.deps import CurrentUser, SessionDep
from app.models import User
from app.schemas.user import UserRead, UserUpdate
from app.services import users as user_service


async def editable_user(
    user_id: Annotated[int, Path(gt=0)], current: CurrentUser, session: SessionDep
) -> User:
    # Permission first: a user who may not edit gets 403 whether or not the id exists.
    if current.id != user_id and not current.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Not allowed to edit this user")
    return await user_service.get_user(session, user_id)  # UserNotFound: 404


EditableUser = Annotated[User, Depends(editable_user)]
router = APIRouter(prefix="/users", tags=["users"])


@router.patch("/{user_id}", response_model=UserRead, status_code=status.HTTP_200_OK)
async def update_user(data: UserUpdate, user: EditableUser, session: SessionDep) -> User:
    return await user_service.update_user(session, user, data)
