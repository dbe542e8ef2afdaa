"""No app-wide handler: each endpoint translates the service's exception itself, or forgets to."""

from fastapi import APIRouter, HTTPException, status

from app.api.deps import SessionDep
from app.models import User
from app.schemas.user import UserRead
from app.services import users as user_service
from app.services.exceptions import UserNotFound

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/{user_id}", response_model=UserRead)
async def read_user(user_id: int, session: SessionDep) -> User:
    try:
        return await user_service.get_user(session, user_id)
    except UserNotFound as error:
        # expect: RB909
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error)) from None


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: int, session: SessionDep) -> None:
    await user_service.delete_user(session, user_id)  # UserNotFound escapes: 500
