"""A `get_db` that commits: the commit runs after FastAPI has sent the response."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.session import engine
from app.models import User
from snippets.async_sqlalchemy.session_dependency.schemas import EmailChange, UserEmail

# expect: RB304
SessionLocal = async_sessionmaker(engine)  # defaults: expire_on_commit=True, autoflush=True


async def get_db() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
        await session.commit()  # "so that no endpoint forgets to commit"  # expect: RB310


router = APIRouter()


@router.patch("/users/{user_id}/email")
async def update_email(
    user_id: int, change: EmailChange, session: Annotated[AsyncSession, Depends(get_db)]
) -> UserEmail:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    user.email = change.email  # written by get_db's commit, once the response is out
    return UserEmail.model_validate(user)
