"""An admin invites someone by email: every field constrained in its type, so FastAPI answers
422 before the endpoint runs."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, StringConstraints

FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class InviteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    full_name: FullName
    redirect_url: HttpUrl  # http or https only, with a host
    valid_days: int = Field(default=7, gt=0, le=30)


class InviteRead(BaseModel):
    email: EmailStr
    full_name: str
    redirect_url: HttpUrl
    expires_at: datetime


router = APIRouter(prefix="/invites", tags=["invites"])


@router.post("", response_model=InviteRead, status_code=status.HTTP_201_CREATED)
async def create_invite(invite: InviteCreate) -> InviteRead:
    expires_at = datetime.now(UTC) + timedelta(days=invite.valid_days)
    return InviteRead(**invite.model_dump(exclude={"valid_days"}), expires_at=expires_at)
