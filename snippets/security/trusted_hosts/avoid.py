"""No Host check: whatever Host a request names, the app builds its URLs with it."""

from fastapi import FastAPI

from snippets.security.trusted_hosts.reset import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app
