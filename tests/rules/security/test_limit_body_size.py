"""Proofs for security/limit-body-size: without a limit a 20 MiB upload is read whole; with
Starlette's RequestBodyLimitMiddleware, an oversized body gets 413 whether its size is
declared (Content-Length) or not (chunked), and the chunked one is not read past the limit."""

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI, status

from snippets.security.limit_body_size import avoid, do
from tests.evidence import Evidence

MiB = 1024 * 1024
CHUNK = 64 * 1024
BOUNDARY = "x-boundary"


def multipart(size: int) -> bytes:
    """A multipart/form-data body holding one `file` part of `size` bytes."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + b"\x89" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


class Streamed:
    """A body sent in 64 KiB chunks with no Content-Length, counting what the server pulled."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), CHUNK):
            chunk = self.body[start : start + CHUNK]
            self.sent += len(chunk)
            yield chunk


async def upload(app: FastAPI, content: bytes | Streamed) -> httpx.Response:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = content if isinstance(content, bytes) else aiter(content)
        return await client.post("/avatars", content=body, headers=headers)


@pytest.mark.parametrize("create_app", [avoid.create_app, avoid.create_app_with_max_body_size])
async def test_without_a_limit_the_whole_upload_is_read(
    create_app: Callable[[], FastAPI], evidence: Evidence
) -> None:
    """A 20 MiB file sent to either Avoid app answers `200` with `{"bytes": 20971520}`: all of it
    was read, `max_body_size=1 MiB` or not."""
    response = await upload(create_app(), multipart(20 * MiB))

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"bytes": 20 * MiB}  # 20 MiB in the worker's memory
    evidence.add(
        f"POST /avatars, Content-Length: {response.request.headers['content-length']}\n\n"
        f"HTTP/1.1 {response.status_code} {response.reason_phrase}\n\n{response.text}",
        "A 20 MiB file, uploaded to the Avoid",
    )


def test_fastapi_keeps_max_body_size_as_an_unused_extra(evidence: Evidence) -> None:
    """The second Avoid app has `app.extra == {"max_body_size": 1048576}` and no `max_body_size`
    attribute, the one Starlette's stack reads."""
    app = avoid.create_app_with_max_body_size()

    assert app.extra == {"max_body_size": MiB}
    assert not hasattr(app, "max_body_size")  # Starlette's attribute, which its stack reads
    evidence.add(
        f"app.extra == {app.extra!r}\n"
        f"hasattr(app, 'max_body_size') == {hasattr(app, 'max_body_size')}",
        "FastAPI(max_body_size=1 MiB), as FastAPI 0.139 keeps it",
    )


async def test_declared_oversized_body_gets_413() -> None:
    """The same file sent to the Do, with its `Content-Length`, gets `413` and the body `Content Too
    Large`."""
    body = multipart(20 * MiB)
    response = await upload(do.create_app(), body)

    assert response.status_code == status.HTTP_413_CONTENT_TOO_LARGE
    assert response.text == "Content Too Large"
    assert response.request.headers["content-length"] == str(len(body))


async def test_undeclared_oversized_body_is_cut_off_with_413() -> None:
    """Streamed without a `Content-Length`, it gets `413` and `{"detail": "Content Too Large"}`, and
    the server pulled more than 1 MiB but at most one 64 KiB chunk more, not 20 MiB."""
    streamed = Streamed(multipart(20 * MiB))
    response = await upload(do.create_app(), streamed)

    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == status.HTTP_413_CONTENT_TOO_LARGE
    assert response.json() == {"detail": "Content Too Large"}
    # Reading stopped at the first chunk past 1 MiB, not at 20 MiB.
    assert do.MAX_BODY_SIZE < streamed.sent <= do.MAX_BODY_SIZE + CHUNK


@pytest.mark.parametrize("streaming", [False, True])
async def test_body_within_the_limit_is_served(streaming: bool) -> None:
    """A 512 KiB file, declared or streamed, gets `200` with its size."""
    body = multipart(do.MAX_BODY_SIZE // 2)
    response = await upload(do.create_app(), Streamed(body) if streaming else body)

    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {"bytes": do.MAX_BODY_SIZE // 2}
