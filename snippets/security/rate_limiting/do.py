"""At most 5 login attempts a minute per client address, then 429 Too Many Requests: the
reference app's `RateLimit` dependency (`app.api.rate_limit`) on the login router."""

from fastapi import Depends, FastAPI

from app.api.rate_limit import RateLimit
from snippets.security.rate_limiting.login import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router, dependencies=[Depends(RateLimit("5/minute", scope="login"))])
    return app
