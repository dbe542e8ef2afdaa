"""The request and response schemas both tabs use."""

from pydantic import BaseModel, ConfigDict, Field


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    price_cents: int = Field(gt=0)


class ItemRead(ItemCreate):
    id: int
