"""The endpoint just added: read one note. Its owner's token stays out of the response."""

from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Path, status
from pydantic import BaseModel

NOTES = {1: {"id": 1, "text": "Buy milk", "owner_token": "tok_3f9a"}}


class NoteRead(BaseModel):
    id: int
    text: str


router = APIRouter()


@router.get("/notes/{note_id}", response_model=NoteRead, status_code=status.HTTP_200_OK)
async def read_note(note_id: Annotated[int, Path(gt=0)]) -> dict[str, object]:
    note = NOTES.get(note_id)
    if note is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Note not found")
    return note


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app
