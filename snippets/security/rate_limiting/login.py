"""A login endpoint: every request that reaches it costs a password check."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status

router = APIRouter()
PASSWORD_CHECKS: list[str] = []  # the usernames checked, for the tests to count


@router.post("/login")
async def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> None:
    PASSWORD_CHECKS.append(username)
    # The real check verifies an Argon2 hash; every guess that gets here is one more try.
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect username or password")
