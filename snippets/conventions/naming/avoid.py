"""Names that hide what things are, and the ORM `User` used as the API's schema."""

from fastapi import FastAPI
from pydantic import BaseModel

from app.api.deps import SessionDep
from app.models import User

defaultPageSize = 20  # a constant in mixedCase  # expect: ruff:N816


class userPage(BaseModel):  # a class in camelCase  # expect: ruff:N801
    pageSize: int = defaultPageSize  # expect: ruff:N815


def GetPage(pageSize: int) -> userPage:  # a function in PascalCase  # expect: ruff:N802
    return userPage(pageSize=pageSize)


async def read_user(user_id: int, session: SessionDep) -> User | None:  # the ORM class, as API
    return await session.get(User, user_id)


def mount(app: FastAPI) -> None:
    app.get("/users/{user_id}")(read_user)  # what `@app.get(...)` on `read_user` does


def mount_without_response_model(app: FastAPI) -> None:
    # The usual way around the error `mount` raises: no response model at all.
    app.get("/users/{user_id}", response_model=None)(read_user)
