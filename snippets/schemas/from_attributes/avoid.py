"""A read schema without `from_attributes`: it accepts dicts and its own instances only."""

from datetime import datetime

from pydantic import BaseModel, EmailStr

from app.models import User


class UserRead(BaseModel):
    id: int
    email: EmailStr
    full_name: str | None
    is_active: bool
    created_at: datetime


def read_users(users: list[User]) -> list[UserRead]:
    return [UserRead.model_validate(user) for user in users]
