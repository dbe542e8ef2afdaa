"""Serve an app in-process and see what a real server would: the messages sent, the error raised."""

from dataclasses import dataclass, field

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Recorder:
    """An ASGI app wrapping `app`: notes each message it sends and the exception it raises."""

    app: ASGIApp
    events: list[str] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_and_note(message: Message) -> None:
            self.events.append(f"{message['type']} {message.get('status', '')}".strip())
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as error:
            self.events.append(f"raised {type(error).__name__}")
            self.errors.append(error)
            raise


def client_of(app: ASGIApp) -> httpx.AsyncClient:
    """A client that gets what a real server's client gets: a 500 for an unhandled error."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")
