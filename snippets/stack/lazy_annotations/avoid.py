"""The same app under `from __future__ import annotations`: every annotation becomes a string."""

from __future__ import annotations  # expect: RB101

from typing import Annotated

from fastapi import Depends, FastAPI, Query, status
from pydantic import BaseModel


class Category(BaseModel):
    name: str
    parent: "CategoryRef | None" = None  # quoted, as older Pythons needed
    children: list[Category] = []  # the class itself


class CategoryRef(BaseModel):
    name: str


class Page(BaseModel):
    limit: int
    offset: int


async def pagination(limit: Annotated[int, Query(le=100)] = 20, offset: int = 0) -> Page:
    return Page(limit=limit, offset=offset)


def create_app() -> FastAPI:
    app = FastAPI()

    # An alias local to the factory: a string annotation is looked up in the module's globals.
    type PageDep = Annotated[Page, Depends(pagination)]

    @app.post("/categories", status_code=status.HTTP_201_CREATED)
    async def create_category(category: Category) -> Category:
        return category

    @app.get("/pages/current")
    async def current_page(page: PageDep) -> Page:
        return page

    return app
