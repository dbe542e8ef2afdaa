"""The reference app's users router behind FastAPI's default validation-error handler, which
answers `{"detail": jsonable_encoder(exc.errors())}`: each 422 carries the rejected `input` (a
password in plain text, a 900,000-character name whole), and an input JSON cannot encode (NaN,
a lone surrogate) makes rendering the 422 itself fail: a 500."""

from fastapi import FastAPI

from app.api.routers import users


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(users.router)
    return app  # no handler of its own for RequestValidationError
