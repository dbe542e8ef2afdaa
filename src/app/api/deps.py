"""Shared dependencies, each behind an `Annotated` alias: the database session, the settings,
the current user, the admin guard and pagination."""

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Query, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings, get_settings
from app.core.security import decode_access_token
from app.db.session import get_db
from app.models import User
from app.repositories import users as user_repository
from app.schemas.types import INT4_MAX

# --8<-- [start:aliases]
SessionDep = Annotated[AsyncSession, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# --8<-- [end:aliases]

# --8<-- [start:current-user]
# Reads `Authorization: Bearer <token>`; without one it answers 401 and the endpoint never runs.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)], session: SessionDep, settings: SettingsDep
) -> User:
    unauthorized = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        claims = decode_access_token(token, settings.jwt_secret)
        user_id = int(claims.subject)
    except jwt.InvalidTokenError, ValueError:  # forged, expired, malformed, or a non-id subject
        raise unauthorized from None
    if not 0 < user_id <= INT4_MAX:  # no such row, and too large for the `integer` column
        raise unauthorized
    user = await user_repository.get(session, user_id)
    # A token older than the last change of password or e-mail no longer counts.
    if user is None or not user.is_active or claims.version != user.token_version:
        raise unauthorized
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
# --8<-- [end:current-user]


# --8<-- [start:guard]
async def require_admin(user: CurrentUser) -> None:
    """A guard: it returns nothing and raises for anyone who is not an admin."""
    if not user.is_admin:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN, detail="Admin privileges required"
        )


# --8<-- [end:guard]


# --8<-- [start:pagination]
@dataclass(frozen=True)
class PageParams:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


async def pagination(
    page: Annotated[int, Query(ge=1, le=INT4_MAX, description="1-based page number")] = 1,
    size: Annotated[int, Query(ge=1, le=100, description="Items per page")] = 20,
) -> PageParams:
    return PageParams(page=page, size=size)


PageDep = Annotated[PageParams, Depends(pagination)]
# --8<-- [end:pagination]
