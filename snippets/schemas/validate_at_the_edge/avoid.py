"""The same invite with bare types: anything that is a string or an int gets in."""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, status
from pydantic import BaseModel


class InviteCreate(BaseModel):  # expect: RB405
    email: str
    full_name: str
    redirect_url: str
    valid_days: int = 7


class InviteRead(BaseModel):
    email: str
    full_name: str
    redirect_url: str
    expires_at: datetime


router = APIRouter(prefix="/invites", tags=["invites"])


@router.post("", response_model=InviteRead, status_code=status.HTTP_201_CREATED)
async def create_invite(invite: InviteCreate) -> InviteRead:
    expires_at = datetime.now(UTC) + timedelta(days=invite.valid_days)
    return InviteRead(**invite.model_dump(exclude={"valid_days"}), expires_at=expires_at)
