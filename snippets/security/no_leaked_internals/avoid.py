"""Debug on, the ORM object returned raw, the driver's error as `detail`, the body logged.

Sign-up as it is often first written."""

import logging
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password
from app.db.session import get_db
from app.models import User

logger = logging.getLogger("app.signup")


class SignUp(BaseModel):
    email: str
    password: str
    full_name: str | None = None


def create_app() -> FastAPI:
    app = FastAPI(debug=True)  # "to see what went wrong"  # expect: RB908

    @app.post("/users")  # expect: RB603
    # expect: RB601
    async def create_user(body: SignUp, session: Annotated[AsyncSession, Depends(get_db)]):
        logger.info("sign-up: %s", body.model_dump())
        user = User(
            email=body.email,
            full_name=body.full_name,
            hashed_password=hash_password(body.password),
        )
        session.add(user)
        try:
            await session.commit()
        except IntegrityError as error:
            # expect: RB909
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error.orig)) from error
        return user

    return app
