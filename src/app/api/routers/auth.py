"""The OAuth2 password flow's token endpoint: email and password in, a bearer token out."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import SessionDep, SettingsDep
from app.api.responses import AUTHENTICATED, RATE_LIMITED, WITH_BODY
from app.core.security import create_access_token
from app.schemas.token import Token
from app.services import users as user_service

router = APIRouter(prefix="/auth", tags=["auth"])


# --8<-- [start:token]
# A wrong login is a 401 with WWW-Authenticate too; 429 comes from the login rate limit.
BAD_LOGIN = {401: AUTHENTICATED[401] | {"description": "Incorrect email or password"}}


@router.post(
    "/token",
    response_model=Token,
    status_code=status.HTTP_200_OK,
    responses=WITH_BODY | BAD_LOGIN | RATE_LIMITED,
)
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    user = await user_service.authenticate(session, form.username, form.password)
    ttl = timedelta(minutes=settings.access_token_ttl_minutes)
    token = create_access_token(str(user.id), settings.jwt_secret, ttl, user.token_version)
    return Token(access_token=token, expires_in=int(ttl.total_seconds()))


# --8<-- [end:token]
