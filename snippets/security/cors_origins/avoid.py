"""CORS opened to every origin, with credentials allowed."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from snippets.security.cors_origins.account import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(  # expect: RB905
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.include_router(router)
    return app
