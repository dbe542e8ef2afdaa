"""No working rate limit: a client may guess passwords as fast as the server answers."""

from fastapi import FastAPI
from slowapi import Limiter
from slowapi.middleware import SlowAPIASGIMiddleware
from slowapi.util import get_remote_address

from snippets.security.rate_limiting.login import router


def create_app() -> FastAPI:
    # No limit at all.
    app = FastAPI()
    app.include_router(router)
    return app


def create_slowapi_app() -> FastAPI:
    # Looks limited: slowapi's default limit, as its docs show it. On FastAPI 0.139 its
    # middleware finds no endpoint for routes of an included router, and lets them all through.
    app = FastAPI()
    app.state.limiter = Limiter(key_func=get_remote_address, default_limits=["5/minute"])
    app.add_middleware(SlowAPIASGIMiddleware)
    app.include_router(router)
    return app
