"""A token checked only for its signature and expiry: a change of password leaves every token
issued before it working until it expires, so a stolen token outlives the change that was meant
to lock its thief out."""

from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status

from app.api.deps import SessionDep, SettingsDep, oauth2_scheme
from app.models import User


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)], session: SessionDep, settings: SettingsDep
) -> User:
    unauthorized = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=["HS256"],
            options={"require": ["exp", "sub"]},
        )
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        raise unauthorized from None
    user = await session.get(User, user_id)
    if user is None or not user.is_active:  # signed, unexpired, a live account: nothing more
        raise unauthorized
    return user
