"""The request and response schemas both tabs use."""

from pydantic import BaseModel, Field


class ItemCreate(BaseModel):
    name: str = Field(min_length=1)
    price_cents: int = Field(gt=0)


class ItemRead(ItemCreate):
    id: int
