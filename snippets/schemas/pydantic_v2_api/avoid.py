"""Pydantic v1 spellings: `class Config`, `orm_mode`, `@validator`, `.parse_obj()`, `.dict()`.

Pydantic 2 still accepts them, with a warning each, and ignores the renamed config key."""

from typing import Any

from pydantic import BaseModel, EmailStr, root_validator, validator  # expect: mypy:deprecated

from app.models import User


class UserRead(BaseModel):
    id: int
    email: EmailStr

    class Config:  # expect: RB401
        orm_mode = True  # expect: RB404


class SignUp(BaseModel):
    email: EmailStr
    password: str
    password_repeat: str

    @validator("email")  # expect: RB402
    def lower_case_email(cls, email):
        return email.lower()

    @root_validator(skip_on_failure=True)  # expect: RB402, mypy:deprecated
    def passwords_match(cls, values):
        if values["password"] != values["password_repeat"]:
            raise ValueError("passwords do not match")
        return values


def parse_sign_up(payload: dict[str, Any]) -> SignUp:
    return SignUp.parse_obj(payload)  # expect: RB403, mypy:deprecated


def sign_up_as_dict(sign_up: SignUp) -> dict[str, Any]:
    return sign_up.dict(exclude={"password", "password_repeat"})  # expect: RB403, mypy:deprecated


def read_user(user: User) -> UserRead:
    return UserRead.from_orm(user)  # expect: RB403, mypy:deprecated
