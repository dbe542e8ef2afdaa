"""The endpoint both apps serve: the signed-in user's account, found by a session cookie."""

from typing import Annotated

from fastapi import APIRouter, Cookie, HTTPException, status

router = APIRouter()
SESSIONS = {"s3ss10n": {"email": "ada@example.com", "iban": "GB33BUKB20201555555555"}}


@router.get("/account")
async def read_account(session: Annotated[str | None, Cookie()] = None) -> dict[str, str]:
    if session is None or session not in SESSIONS:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Not signed in")
    return SESSIONS[session]
