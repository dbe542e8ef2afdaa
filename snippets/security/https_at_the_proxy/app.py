"""What the app knows about a request that reached it through a TLS-terminating proxy."""

from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/whoami")
async def whoami(request: Request) -> dict[str, str | None]:
    return {
        "scheme": request.url.scheme,
        "client": request.client.host if request.client else None,
        "link": str(request.url_for("whoami")),  # as in e-mails, redirects, pagination links
    }
