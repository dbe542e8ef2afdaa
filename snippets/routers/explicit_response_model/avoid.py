"""Operations without a response model or a status code: FastAPI serialises whatever comes back."""

from fastapi import APIRouter

from app.api.deps import CurrentUser, SessionDep
from app.schemas.user import UserCreate
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post("")  # expect: RB603
async def create_user(data: UserCreate, session: SessionDep):  # expect: RB601
    return await user_service.create_user(session, data)


@router.get("/me")
async def read_me(user: CurrentUser):  # expect: RB601
    return user
