"""Types FastAPI and Pydantic read at run time, imported at run time."""

from fastapi import APIRouter, FastAPI, status
from pydantic import BaseModel

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
