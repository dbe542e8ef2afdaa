"""Cross-field checks in a field validator reading `info.data`, and in an after-validator that
forgets to return `self`."""

from fastapi import APIRouter
from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator


class PasswordChange(BaseModel):
    password: str | None = Field(default=None, min_length=12)
    current_password: str | None = None

    @field_validator("current_password")
    @classmethod
    def sent_with_password(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data["password"] is not None and value is None:
            raise ValueError("password and current_password must be sent together")
        return value


class NameChange(BaseModel):
    full_name: str | None = None
    clear_full_name: bool = False

    @model_validator(mode="after")
    def not_both(self):
        if self.full_name is not None and self.clear_full_name:
            raise ValueError("send full_name or clear_full_name, not both")


router = APIRouter(prefix="/users/me")


@router.post("/password")
async def change_password(change: PasswordChange) -> dict[str, bool]:
    return {"password_changed": change.password is not None}


@router.post("/name")
async def change_name(change: NameChange) -> dict[str, bool]:
    return {"cleared": change.clear_full_name}
