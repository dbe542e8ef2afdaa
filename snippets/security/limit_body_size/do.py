"""Every request body is capped at 1 MiB: larger ones get 413 Content Too Large."""

from fastapi import FastAPI
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from snippets.security.limit_body_size.uploads import router

MAX_BODY_SIZE = 1024 * 1024  # bytes; keep the proxy's limit (nginx: client_max_body_size) equal


def create_app() -> FastAPI:
    app = FastAPI()
    # Refuses a declared Content-Length over the limit before the endpoint reads anything, and
    # stops a body without one (chunked) as soon as the bytes received pass the limit.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY_SIZE)
    app.include_router(router)
    return app
