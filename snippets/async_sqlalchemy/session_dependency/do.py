"""The request's session comes from `get_db`; the service commits, once, and can react."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models import User
from snippets.async_sqlalchemy.session_dependency.schemas import EmailChange, UserEmail


class UserNotFound(Exception):
    pass


class EmailTaken(Exception):
    pass


async def change_email(session: AsyncSession, user_id: int, email: str) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound(user_id)
    user.email = email
    try:
        await session.commit()  # the end of the unit of work: the UPDATE runs here
    except IntegrityError:
        await session.rollback()
        raise EmailTaken(email) from None
    return user


router = APIRouter()


@router.patch("/users/{user_id}/email")
async def update_email(
    user_id: int, change: EmailChange, session: Annotated[AsyncSession, Depends(get_db)]
) -> UserEmail:
    try:
        user = await change_email(session, user_id, change.email)
    except UserNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found") from None
    except EmailTaken:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="E-mail already in use") from None
    return UserEmail.model_validate(user)
