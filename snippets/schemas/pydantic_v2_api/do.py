"""The Pydantic v2 API: `model_config = ConfigDict(...)`, `@field_validator`,
`@model_validator(mode="after")`, `.model_dump()` and `.model_validate()`."""

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, EmailStr, field_validator, model_validator

from app.models import User


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # reads ORM objects' attributes

    id: int
    email: EmailStr


class SignUp(BaseModel):
    email: EmailStr
    password: str
    password_repeat: str

    @field_validator("email")
    @classmethod
    def lower_case_email(cls, email: str) -> str:
        return email.lower()

    @model_validator(mode="after")
    def passwords_match(self) -> Self:
        if self.password != self.password_repeat:
            raise ValueError("passwords do not match")
        return self


def parse_sign_up(payload: dict[str, Any]) -> SignUp:
    return SignUp.model_validate(payload)


def sign_up_as_dict(sign_up: SignUp) -> dict[str, Any]:
    return sign_up.model_dump(exclude={"password", "password_repeat"})


def read_user(user: User) -> UserRead:
    return UserRead.model_validate(user)
