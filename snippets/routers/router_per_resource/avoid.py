"""Every route declared on the app itself, in one module: no prefix, no tags."""

from fastapi import FastAPI, status

from app.api.deps import CurrentUser, SessionDep
from app.models import User
from app.schemas.user import UserCreate, UserRead
from app.services import users as user_service


def create_app() -> FastAPI:
    app = FastAPI(title="Reference app")

    @app.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
    async def create_user(data: UserCreate, session: SessionDep) -> User:
        return await user_service.create_user(session, data)

    @app.get("/users/me", response_model=UserRead)
    async def read_me(user: CurrentUser) -> User:
        return user

    @app.get("/user/{user_id}", response_model=UserRead)  # each path typed out again
    async def read_user(user_id: int, session: SessionDep) -> User:
        return await user_service.get_user(session, user_id)

    return app
