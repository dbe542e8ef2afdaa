"""CORS for a browser front end that sends cookies: the origins are listed, one by one."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from snippets.security.cors_origins.account import router

ALLOWED_ORIGINS = ["https://app.example.com", "https://admin.example.com"]


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=ALLOWED_ORIGINS,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.include_router(router)
    return app
