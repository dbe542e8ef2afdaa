"""Request and response models for users: one per operation, none shared with the ORM model.

Requests forbid unknown fields, so a client cannot slip `is_admin` or `id` into a body; responses
list only what a client may see, so `hashed_password` and `is_admin` cannot leak from them.
"""

from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.config import JsonDict

from app.schemas.types import Email, storable_text

# --8<-- [start:types]
# `Email` (app.schemas.types): one address, one account; `Ada@Example.com` is `ada@example.com`.
FullName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(storable_text),
]
Password = Annotated[str, Field(min_length=12, max_length=128)]
# --8<-- [end:types]


# What `credential_change_needs_current_password` checks, said in the JSON Schema too, so the
# OpenAPI document does not promise that a body the validator refuses is valid.
NO_CREDENTIAL_CHANGE: JsonDict = {
    "properties": {name: {"type": "null"} for name in ("email", "password", "current_password")}
}
CREDENTIAL_CHANGE: JsonDict = {
    "required": ["current_password"],
    "properties": {"current_password": {"type": "string"}},
    "anyOf": [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in ("email", "password")
    ],
}


# --8<-- [start:requests]
class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    full_name: FullName | None = None


class UserUpdate(BaseModel):
    """A partial update: only the fields the client sends change (`full_name: null` clears it)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"anyOf": [NO_CREDENTIAL_CHANGE, CREDENTIAL_CHANGE]}
    )

    email: Email | None = None
    full_name: FullName | None = None
    password: Password | None = None
    current_password: str | None = None

    # --8<-- [start:cross-field]
    @model_validator(mode="after")
    def credential_change_needs_current_password(self) -> Self:
        # Runs once every field is valid, whichever of them the client sent. A stolen token
        # alone must not take the account over: a new password or e-mail needs the current one.
        changes_credentials = self.password is not None or self.email is not None
        if changes_credentials != (self.current_password is not None):
            raise ValueError(
                "current_password is needed to change password or email, and only then"
            )
        return self

    # --8<-- [end:cross-field]


# --8<-- [end:requests]


# --8<-- [start:responses]
class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str | None
    is_active: bool
    created_at: datetime


class UserPage(BaseModel):
    items: list[UserRead]
    total: int
    page: int
    size: int


# --8<-- [end:responses]
