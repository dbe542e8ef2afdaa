"""An avatar upload: the endpoint reads the whole file into memory."""

from fastapi import APIRouter, UploadFile

router = APIRouter()


@router.post("/avatars")
async def upload_avatar(file: UploadFile) -> dict[str, int]:
    content = await file.read()
    return {"bytes": len(content)}
