"""HTTPS "enforced" in the app, behind a proxy that talks plain HTTP to it."""

from fastapi import FastAPI
from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware

from snippets.security.https_at_the_proxy.app import whoami


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(HTTPSRedirectMiddleware)
    app.get("/whoami")(whoami)
    return app
