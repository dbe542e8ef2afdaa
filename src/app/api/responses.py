"""The error responses of the API, declared once for OpenAPI (`responses=` on the app, the
routers and the routes): every status an endpoint can answer, with the body and headers it
really sends. The handlers that send them are in `main.py`, `deps.py` and `rate_limit.py`."""

from typing import Any

from pydantic import BaseModel, ConfigDict


# --8<-- [start:bodies]
class ErrorBody(BaseModel):
    """What every error but 422 answers: a fixed message, never an echo of the input."""

    model_config = ConfigDict(extra="forbid")

    detail: str


class InvalidField(BaseModel):
    """One validation error: where, what kind, the message; never `input` or `ctx`."""

    model_config = ConfigDict(extra="forbid")

    type: str
    loc: list[str | int]
    msg: str


class InvalidRequest(BaseModel):
    """The 422 body `main.invalid_request` sends."""

    model_config = ConfigDict(extra="forbid")

    detail: list[InvalidField]


# --8<-- [end:bodies]

type Responses = dict[int | str, dict[str, Any]]


def _header(description: str, type_: str = "string") -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": type_}}


RETRY_AFTER = {"Retry-After": _header("Seconds to wait before trying again", "integer")}
# The errors Starlette's middleware sends itself, as text rather than JSON.
_TEXT = {"text/plain": {"schema": {"type": "string"}}}


# --8<-- [start:responses]
# Any route: a Host the app does not serve (TrustedHostMiddleware, text) and a database that
# cannot be reached, or every password-hashing thread busy (503, with when to retry).
EVERY_ROUTE: Responses = {
    400: {"description": "Invalid host header", "content": _TEXT},
    503: {
        "model": ErrorBody,
        "description": "Database unreachable or server busy: try again after Retry-After",
        "headers": RETRY_AFTER,
    },
}
# Routes with parameters or a body: the 422 body without `input` or `ctx`.
VALIDATED: Responses = {
    422: {"model": InvalidRequest, "description": "A parameter or a body field is invalid"},
}
# Routes that read a body: 400 for a body that is not JSON or a form, 413 over the size limit
# (JSON once the app reads the body, text when Content-Length alone exceeds it), and 422.
WITH_BODY: Responses = VALIDATED | {
    400: {
        "model": ErrorBody,
        "description": "Invalid host header (text), or a body that cannot be parsed",
        "content": _TEXT,
    },
    413: {
        "model": ErrorBody,
        "description": "Request body larger than the limit",
        "content": _TEXT,
    },
}
# Routes behind `get_current_user`: no token, a forged, expired or outdated one.
AUTHENTICATED: Responses = {
    401: {
        "model": ErrorBody,
        "description": "Missing or invalid bearer token",
        "headers": {"WWW-Authenticate": _header("The scheme to authenticate with: Bearer")},
    },
}
ADMIN: Responses = AUTHENTICATED | {
    403: {"model": ErrorBody, "description": "Admin privileges required"}
}
NOT_FOUND: Responses = {404: {"model": ErrorBody, "description": "No user with this id"}}
CONFLICT: Responses = {409: {"model": ErrorBody, "description": "Email already registered"}}
RATE_LIMITED: Responses = {
    429: {"model": ErrorBody, "description": "Too many login attempts", "headers": RETRY_AFTER},
}
# --8<-- [end:responses]
