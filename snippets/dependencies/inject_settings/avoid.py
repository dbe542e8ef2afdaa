"""Settings read once into a module global of the router: no dependency to override."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import SessionDep
from app.core.config import get_settings
from app.core.security import create_access_token
from app.schemas.token import Token
from app.services import users as user_service

settings = get_settings()  # fixed when the module is imported  # expect: RB504

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token)
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    user = await user_service.authenticate(session, form.username, form.password)
    ttl = timedelta(minutes=settings.access_token_ttl_minutes)
    token = create_access_token(str(user.id), settings.jwt_secret, ttl)
    return Token(access_token=token, expires_in=int(ttl.total_seconds()))
