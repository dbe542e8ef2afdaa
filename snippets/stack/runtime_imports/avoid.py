"""The same schemas imported for the type checker only: mypy is happy, FastAPI is not."""

from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, status
from pydantic import BaseModel

if TYPE_CHECKING:
    # expect: RB102, ruff:TC004
    from snippets.stack.runtime_imports.schemas import ItemCreate, ItemRead


class Order(BaseModel):
    item: ItemCreate
    quantity: int


router = APIRouter(prefix="/items")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(item: ItemCreate) -> ItemRead:
    return ItemRead(id=1, **item.model_dump())


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app
