"""Only requests addressed to the service's own host names reach the app."""

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from snippets.security.trusted_hosts.reset import router

ALLOWED_HOSTS = ["api.example.com", "*.api.example.com"]


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)
    app.include_router(router)
    return app
