"""GET /admin/users: parse the request, call the service, shape the response."""

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.api.deps import SessionDep
from app.models import User
from snippets.how_to_work.smallest_diff import service

router = APIRouter(prefix="/admin/users")


class UserRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool


@router.get("", response_model=list[UserRow])
async def list_users(session: SessionDep) -> list[User]:
    return await service.list_users(session)
