"""Configuration read from `os.environ` where it is used, and a secret written into the code."""

import os

from fastapi import APIRouter

DATABASE_URL = os.environ["APP_DATABASE_URL"]  # read at import  # expect: RB702
# expect: RB702
ACCESS_TOKEN_TTL_MINUTES = int(os.environ.get("APP_ACCESS_TOKEN_TTL_MINUTES", "30"))
JWT_SECRET = "change-me-in-production"  # in git, in every image, the same everywhere

router = APIRouter()


@router.get("/token-policy")
async def token_policy() -> dict[str, int]:
    return {"ttl_minutes": ACCESS_TOKEN_TTL_MINUTES}
