"""The application factory: lifespan, router mounting and the domain exception handlers."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response
from starlette.routing import Match

from app.api.rate_limit import RateLimit
from app.api.responses import EVERY_ROUTE
from app.api.routers import auth, users
from app.core.config import Settings, get_settings
from app.db.session import DatabaseUnavailable, engine
from app.services.exceptions import (
    EmailAlreadyRegistered,
    HashingBusy,
    IncorrectPassword,
    InvalidCredentials,
    UserNotFound,
)


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Startup: fail fast if the database is unreachable.
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    yield
    # Shutdown: close every pooled connection.
    await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    docs = settings.api_docs  # off in production: the schema maps every route for an attacker
    app = FastAPI(
        title="Reference app",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        responses=EVERY_ROUTE,  # each router and route adds its own (app/api/responses.py)
    )
    # --8<-- [start:middleware]
    # Added last, runs first: a foreign Host is refused before the body is even read.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=settings.max_body_size)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    # --8<-- [end:middleware]
    # --8<-- [start:mount]
    login_limit = RateLimit(settings.login_rate_limit, scope="login")
    app.include_router(auth.router, dependencies=[Depends(login_limit)])
    app.include_router(users.router)
    add_exception_handlers(app)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(status.HTTP_405_METHOD_NOT_ALLOWED)(method_not_allowed)
    # --8<-- [end:mount]
    return app


# --8<-- [end:lifespan]


# --8<-- [start:exception-handlers]
def add_exception_handlers(app: FastAPI) -> None:
    """Turn each domain exception into one status code and a fixed, safe message. Services raise
    them without knowing about HTTP; nothing from the exception (ids, emails, SQL) reaches the
    client."""

    @app.exception_handler(UserNotFound)
    async def user_not_found(request: Request, exc: UserNotFound) -> JSONResponse:
        return JSONResponse({"detail": "User not found"}, status.HTTP_404_NOT_FOUND)

    @app.exception_handler(EmailAlreadyRegistered)
    async def email_taken(request: Request, exc: EmailAlreadyRegistered) -> JSONResponse:
        return JSONResponse({"detail": "Email already registered"}, status.HTTP_409_CONFLICT)

    @app.exception_handler(InvalidCredentials)
    async def bad_login(request: Request, exc: InvalidCredentials) -> JSONResponse:
        return JSONResponse(
            {"detail": "Incorrect email or password"},
            status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(IncorrectPassword)
    async def wrong_current_password(request: Request, exc: IncorrectPassword) -> JSONResponse:
        # 403: a well-formed request whose credential does not allow the change. Not 401, which
        # says the bearer token failed, nor 400, which says the request itself is malformed.
        detail = {"detail": "Current password is incorrect"}
        return JSONResponse(detail, status.HTTP_403_FORBIDDEN)

    # 503 says "try again later", Retry-After says when. The driver's message (host, socket
    # path) goes nowhere near the client.
    for error, detail, retry_after in (
        (DatabaseUnavailable, "Service temporarily unavailable", "5"),
        (HashingBusy, "Server busy, try again shortly", "1"),
    ):
        app.add_exception_handler(error, _unavailable(detail, retry_after))


def _unavailable(detail: str, retry_after: str) -> Callable[[Request, Exception], JSONResponse]:
    def handler(request: Request, exc: Exception) -> JSONResponse:
        headers = {"Retry-After": retry_after}
        return JSONResponse(
            {"detail": detail}, status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers
        )

    return handler


# --8<-- [end:exception-handlers]


# --8<-- [start:method-not-allowed]
METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


async def method_not_allowed(request: Request, exc: StarletteHTTPException) -> Response:
    """405 whose `Allow` lists every method the path serves. Starlette answers from the first
    route matching the path, so `OPTIONS /users/me` would name only GET, not PATCH and DELETE;
    here each method is matched against every route, as the router would for that request."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    allow = {"Allow": ", ".join(allowed)}
    return await http_exception_handler(
        request, StarletteHTTPException(exc.status_code, None, allow)
    )


# --8<-- [end:method-not-allowed]


# --8<-- [start:validation-errors]
def validation_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Where each error is, what kind, and the message: never the `input` (a password, 10 MB of
    text, NaN or a lone surrogate that JSON cannot encode) nor `ctx`. A `loc` part can be a key
    the client chose (an unknown field), so it is shortened and made encodable."""
    return [
        {
            "type": error["type"],
            "loc": [_safe(part) if isinstance(part, str) else part for part in error["loc"]],
            "msg": _safe(error["msg"], 500),
        }
        for error in exc.errors()
    ]


def _safe(text: str, limit: int = 100) -> str:
    """At most `limit` characters, each one UTF-8 can encode."""
    return text[:limit].encode(errors="backslashreplace").decode()


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": validation_errors(exc)}, status.HTTP_422_UNPROCESSABLE_CONTENT)


# --8<-- [end:validation-errors]
app = create_app()
