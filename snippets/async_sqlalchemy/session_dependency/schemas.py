"""The request and response of the e-mail change both tabs serve."""

from pydantic import BaseModel, ConfigDict, EmailStr


class EmailChange(BaseModel):
    email: EmailStr


class UserEmail(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
