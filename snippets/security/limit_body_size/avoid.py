"""No body limit: a client decides how much the server reads into memory."""

from fastapi import FastAPI

from snippets.security.limit_body_size.uploads import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app


def create_app_with_max_body_size() -> FastAPI:
    # `Starlette(max_body_size=...)` limits bodies. FastAPI accepts the argument too, keeps it
    # in `app.extra`, and limits nothing.
    app = FastAPI(max_body_size=1024 * 1024)  # expect: RB910
    app.include_router(router)
    return app
