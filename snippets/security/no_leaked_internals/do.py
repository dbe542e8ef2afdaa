"""Whatever goes wrong, the client gets a fixed message; the full error goes to the log only,
and the log gets no SQL parameters (passwords, hashes, e-mail addresses)."""

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.core.config import get_settings

logger = logging.getLogger("app.errors")

# hide_parameters: SQLAlchemy's errors and logs show the SQL, never the values bound to it.
engine = create_async_engine(get_settings().database_url, pool_pre_ping=True, hide_parameters=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback, the SQL and the driver's message are for the operators: in the log.
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "Internal server error"}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR
    )


def add_error_handler(app: FastAPI) -> None:
    """For everything the domain exception handlers do not map: a 500 with a fixed message.
    Keep `debug` off: with it on, Starlette sends the traceback to the client instead."""
    app.add_exception_handler(Exception, unexpected_error)
