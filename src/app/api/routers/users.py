"""The users resource: sign-up, the caller's own account under `/me`, and admin-only reads and
deletes. Endpoints parse and authorise; the service does the work."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import AfterValidator, StringConstraints

from app.api.deps import CurrentUser, PageDep, SessionDep, require_admin
from app.api.responses import (
    ADMIN,
    AUTHENTICATED,
    CONFLICT,
    NOT_FOUND,
    VALIDATED,
    WITH_BODY,
    ErrorBody,
)
from app.models import User
from app.schemas.types import INT4_MAX, storable_text
from app.schemas.user import UserCreate, UserPage, UserRead, UserUpdate
from app.services import users as user_service

# --8<-- [start:user-id]
UserId = Annotated[int, Path(gt=0, le=INT4_MAX)]  # the `integer` column's range
# --8<-- [end:user-id]

# --8<-- [start:router]
router = APIRouter(prefix="/users", tags=["users"])
# --8<-- [end:router]


# --8<-- [start:create]
@router.post(
    "", response_model=UserRead, status_code=status.HTTP_201_CREATED, responses=WITH_BODY | CONFLICT
)
async def create_user(data: UserCreate, session: SessionDep) -> User:
    return await user_service.create_user(session, data)


# --8<-- [end:create]


# --8<-- [start:me]
@router.get("/me", response_model=UserRead, status_code=status.HTTP_200_OK, responses=AUTHENTICATED)
async def read_me(user: CurrentUser) -> User:
    return user


# 403 for a wrong `current_password`; 409 for an e-mail another account has.
WRONG_PASSWORD = {403: {"model": ErrorBody, "description": "current_password is incorrect"}}


@router.patch(
    "/me",
    response_model=UserRead,
    status_code=status.HTTP_200_OK,
    responses=AUTHENTICATED | WITH_BODY | WRONG_PASSWORD | CONFLICT,
)
async def update_me(data: UserUpdate, user: CurrentUser, session: SessionDep) -> User:
    return await user_service.update_user(session, user, data)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, responses=AUTHENTICATED)
async def delete_me(user: CurrentUser, session: SessionDep) -> None:
    await user_service.delete_user(session, user.id)


# --8<-- [end:me]


# --8<-- [start:admin]
# A guard: it only lets admins through, and the endpoints never use its (None) value.
ADMIN_ONLY = [Depends(require_admin)]
# Bounded and storable: no NUL, which PostgreSQL text cannot hold, reaches the query.
Search = Annotated[str, StringConstraints(max_length=50), AfterValidator(storable_text)]


@router.get(
    "",
    response_model=UserPage,
    status_code=status.HTTP_200_OK,
    dependencies=ADMIN_ONLY,
    responses=ADMIN | VALIDATED,
)
async def list_users(
    session: SessionDep,
    paging: PageDep,
    q: Annotated[Search | None, Query(description="Part of an email or name")] = None,
) -> UserPage:
    users, total = await user_service.list_users(
        session, offset=paging.offset, limit=paging.size, q=q
    )
    items = [UserRead.model_validate(user) for user in users]
    return UserPage(items=items, total=total, page=paging.page, size=paging.size)


@router.get(
    "/{user_id}",
    response_model=UserRead,
    status_code=status.HTTP_200_OK,
    dependencies=ADMIN_ONLY,
    responses=ADMIN | VALIDATED | NOT_FOUND,
)
async def read_user(user_id: UserId, session: SessionDep) -> User:
    return await user_service.get_user(session, user_id)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=ADMIN_ONLY,
    responses=ADMIN | VALIDATED | NOT_FOUND,
)
async def delete_user(user_id: UserId, session: SessionDep) -> None:
    await user_service.delete_user(session, user_id)


# --8<-- [end:admin]
