"""A password-reset endpoint that e-mails a link built from the request's own URL."""

import secrets

from fastapi import APIRouter, Request, status

router = APIRouter()
OUTBOX: list[tuple[str, str]] = []  # (to, link): the e-mails sent, for the tests to read


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_password_reset(email: str, request: Request) -> None:
    token = secrets.token_urlsafe(32)
    # url_for builds an absolute URL from the request: scheme, and the Host header.
    OUTBOX.append((email, str(request.url_for("confirm_password_reset", token=token))))


@router.get("/password-reset/{token}")
async def confirm_password_reset(token: str) -> dict[str, str]:
    return {"token": token}
