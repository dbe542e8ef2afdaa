"""Proofs for security/no-echoed-input: behind FastAPI's default handler every 422 sends the
rejected input back (the password in plain text, a huge field whole) and NaN or a lone surrogate
turn it into a 500; the reference app's handler sends `type`, `loc` and `msg` only, a 422 for
each."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.main import invalid_request
from snippets.security.no_echoed_input import avoid
from tests.evidence import Evidence, describe_response

JSON = {"Content-Type": "application/json"}
SHORT = {"email": "a@example.com", "password": "hunter2!"}  # 8 characters, 12 needed
HUGE_NAME = "x" * 900_000
HUGE = {"email": "b@example.com", "password": "correct horse battery", "full_name": HUGE_NAME}
NAN = '{"email": NaN, "password": "correct horse battery"}'
SURROGATE = (
    '{"email": "s@example.com", "password": "correct horse battery", "full_name": "\\ud800"}'
)


@asynccontextmanager
async def serving(
    app: FastAPI, session: AsyncSession, *, raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_default_handler_echoes_the_password_and_the_whole_field(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The password `hunter2!` answers `422` with `"input": "hunter2!"` and `"ctx": {"min_length":
    12}`; a 900,000-character `full_name` answers `422` whose `input` is the whole name (more than
    900,000 bytes of body)."""
    async with serving(avoid.create_app(), db_session) as client:
        created = await client.post("/users", json={**SHORT, "password": "hunter2! and more"})
        short = await client.post("/users", json=SHORT)
        huge = await client.post("/users", json=HUGE)

    assert created.status_code == status.HTTP_201_CREATED  # the app works, on PostgreSQL
    assert short.status_code == huge.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert short.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["body", "password"],
                "msg": "String should have at least 12 characters",
                "input": "hunter2!",  # the password, in plain text, in the response
                "ctx": {"min_length": 12},
            }
        ]
    }
    (error,) = huge.json()["detail"]
    assert error["input"] == HUGE_NAME  # 900,000 characters sent back whole
    assert len(huge.content) > 900_000
    evidence.add(short, "POST /users with the password hunter2!, served by the Avoid")
    evidence.add(huge, "POST /users with a 900,000-character full_name, served by the Avoid")


@pytest.mark.parametrize(
    ("body", "raised", "message"),
    [
        pytest.param(NAN, ValueError, "Out of range float values are not JSON compliant", id="nan"),
        pytest.param(SURROGATE, UnicodeEncodeError, "surrogates not allowed", id="lone-surrogate"),
    ],
)
async def test_default_handler_fails_rendering_an_unencodable_input(
    db_session: AsyncSession, body: str, raised: type[Exception], message: str, evidence: Evidence
) -> None:
    """`{"email": NaN, ...}` raises `ValueError: Out of range float values are not JSON compliant`,
    and `"full_name": "\\ud800"` raises `UnicodeEncodeError` (`surrogates not allowed`), while
    rendering the 422; as a server answers them, each is a bare `500 Internal Server Error`."""
    async with serving(avoid.create_app(), db_session) as client:
        with pytest.raises(raised, match=message) as error:
            await client.post("/users", content=body, headers=JSON)
    evidence.add(error.value, "Rendering the 422, served by the Avoid")
    async with serving(avoid.create_app(), db_session, raise_app_exceptions=False) as client:
        response = await client.post("/users", content=body, headers=JSON)

    # The input was refused, but the client hears of a server failure, not of its mistake.
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert response.text == "Internal Server Error"
    # A lone surrogate the request's JSON decodes to cannot be written as UTF-8: escaped.
    seen = describe_response(response).encode("utf-8", "backslashreplace").decode("utf-8")
    evidence.add(seen, "What the client gets")


def error(kind: str, field: str, msg: str) -> dict[str, object]:
    return {"type": kind, "loc": ["body", field], "msg": msg}


async def test_reference_handler_sends_where_and_what_never_the_input(
    client: httpx.AsyncClient,
) -> None:
    """The reference app answers each of the four with `422` and exactly `type`, `loc` and `msg`:
    `string_too_short` at `["body", "password"]` (no `hunter2!` in the body), `string_too_long` at
    `["body", "full_name"]` in under 200 bytes, `string_type` at `["body", "email"]` for `NaN`,
    `string_unicode` at `["body", "full_name"]` for the surrogate."""
    short = await client.post("/users", json=SHORT)
    huge = await client.post("/users", json=HUGE)
    nan = await client.post("/users", content=NAN, headers=JSON)
    surrogate = await client.post("/users", content=SURROGATE, headers=JSON)

    assert short.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert short.json() == {
        "detail": [
            error("string_too_short", "password", "String should have at least 12 characters")
        ]
    }
    assert "hunter2!" not in short.text
    assert huge.json() == {
        "detail": [
            error("string_too_long", "full_name", "String should have at most 200 characters")
        ]
    }
    assert len(huge.content) < 200
    assert nan.status_code == surrogate.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert nan.json() == {
        "detail": [error("string_type", "email", "Input should be a valid string")]
    }
    assert surrogate.json() == {
        "detail": [
            error(
                "string_unicode",
                "full_name",
                "Input should be a valid string, unable to parse raw data as a unicode string",
            )
        ]
    }


async def test_the_handler_alone_fixes_the_default(db_session: AsyncSession) -> None:
    """The Avoid's app with only `invalid_request` added answers `422` to the short password,
    without `input`, and `422` to `NaN`."""
    app = avoid.create_app()
    app.exception_handler(RequestValidationError)(invalid_request)
    async with serving(app, db_session) as client:
        short = await client.post("/users", json=SHORT)
        nan = await client.post("/users", content=NAN, headers=JSON)

    assert short.status_code == nan.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert "input" not in short.json()["detail"][0]
    assert "hunter2!" not in short.text
