"""A `get_current_user` that returns None instead of raising 401 when it cannot authenticate.

Every endpoint has to remember to check, and `if user and ...` lets None through."""

from typing import Annotated

import jwt
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import delete

from app.api.deps import SessionDep, SettingsDep
from app.models import User
from app.schemas.user import UserRead

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


async def get_current_user(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> User | None:
    if token is None:
        return None
    try:
        # expect: RB901
        claims = jwt.decode(token, settings.jwt_secret.get_secret_value(), algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    return await session.get(User, int(claims["sub"]))


router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserRead | None)
async def read_me(user: Annotated[User | None, Depends(get_current_user)]) -> User | None:
    return user


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    user_id: int,
    session: SessionDep,
    user: Annotated[User | None, Depends(get_current_user)],
) -> None:
    if user and not user.is_admin:  # None slips through: "not a non-admin"
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    await session.execute(delete(User).where(User.id == user_id))
    await session.commit()
