"""The customers context's schemas: what it says a customer is."""

from pydantic import BaseModel, ConfigDict


class Customer(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    active: bool
