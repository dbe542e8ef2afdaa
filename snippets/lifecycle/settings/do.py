"""An endpoint that gets the settings injected: whatever the app's `get_settings` returns."""

from fastapi import APIRouter

from app.api.deps import SettingsDep

router = APIRouter()


@router.get("/token-policy")
async def token_policy(settings: SettingsDep) -> dict[str, int]:
    return {"ttl_minutes": settings.access_token_ttl_minutes}
