"""An endpoint that reads the settings through `Depends(get_settings)`."""

from typing import Annotated

from fastapi import APIRouter, Depends

from app.core.config import Settings, get_settings

router = APIRouter()


@router.get("/token-policy")
async def token_policy(settings: Annotated[Settings, Depends(get_settings)]) -> dict[str, int]:
    return {"access_token_ttl_minutes": settings.access_token_ttl_minutes}
