"""Sign-up normalises the address through `EmailStr` (Unicode NFC, the domain decoded from
Punycode) and lower-cases it; login only lower-cases the username it is sent. An address
written in another Unicode form, or with its domain in Punycode, signs up (201) and then cannot
log in with the very bytes it signed up with (401)."""

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import select

from app.api.deps import SessionDep
from app.core.security import hash_password, verify_password
from app.models import User
from app.schemas.user import UserRead


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[EmailStr, AfterValidator(str.lower)]  # one normalisation here...
    password: Annotated[str, Field(min_length=12, max_length=128)]


router = APIRouter(tags=["auth"])


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def sign_up(data: SignUp, session: SessionDep) -> User:
    hashed = await to_thread.run_sync(hash_password, data.password)
    user = User(email=data.email, hashed_password=hashed)
    session.add(user)
    await session.commit()
    return user


@router.post("/auth/login", response_model=UserRead, status_code=status.HTTP_200_OK)
async def log_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> User:
    email = form.username.lower()  # ...and another one here
    user = (await session.scalars(select(User).where(User.email == email))).one_or_none()
    if user is None or not await to_thread.run_sync(
        verify_password, form.password, user.hashed_password
    ):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user
