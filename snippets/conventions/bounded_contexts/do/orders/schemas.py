"""The orders context's schemas."""

from pydantic import BaseModel, ConfigDict, Field


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total_cents: int = Field(gt=0)


class Order(BaseModel):
    customer_id: int
    total_cents: int
