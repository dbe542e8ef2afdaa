"""The reference app under attack: one test per hostile input an attacker or a fuzzer sends.

Each asserts the exact answer (status, headers, body) and that nothing in it carries the
submitted secret, a traceback or the driver's text. The app runs on the embedded PostgreSQL,
through the test's session."""

import threading
from collections.abc import AsyncIterator

import anyio
import httpx
import jwt
import pytest
from fastapi import status
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from app.schemas.types import INT4_MAX
from tests.app.factories import PASSWORD, bearer, token_for

# What a 500 from the driver or an unhandled exception would show.
LEAKS = ("Traceback", "asyncpg", "sqlalchemy", "CharacterNotInRepertoire", "Internal Server Error")
BAD_LOGIN = {"detail": "Incorrect email or password"}
NOT_AUTHENTICATED = {"detail": "Could not validate credentials"}


def assert_clean(response: httpx.Response, *secrets: str) -> None:
    """Nothing of the driver, of a traceback, or of what the client submitted comes back."""
    for text in (*LEAKS, *secrets):
        assert text not in response.text, f"{text!r} in {response.text[:300]!r}"


def error(kind: str, loc: list[str | int], msg: str) -> dict[str, object]:
    return {"type": kind, "loc": loc, "msg": msg}


NUL = error("value_error", [], "Value error, must not contain the NUL character")
SURROGATE = error(
    "string_unicode",
    [],
    "Input should be a valid string, unable to parse raw data as a unicode string",
)


def at(template: dict[str, object], *loc: str | int) -> dict[str, object]:
    return {**template, "loc": list(loc)}


# Finding 2: NUL characters reached PostgreSQL, whose text cannot hold them (500).
async def test_nul_in_login_sign_up_update_and_filter_is_refused_before_the_database(
    client: httpx.AsyncClient, user_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    login = await client.post(
        "/auth/token", data={"username": "ada\x00@example.com", "password": PASSWORD}
    )
    sign_up = await client.post(
        "/users", json={"email": "nul@example.com", "password": PASSWORD, "full_name": "Ada\x00"}
    )
    update = await client.patch("/users/me", json={"full_name": "Ada\x00"}, headers=user_headers)
    search = await client.get("/users", params={"q": "a\x00"}, headers=admin_headers)

    assert login.status_code == status.HTTP_401_UNAUTHORIZED
    assert login.headers["WWW-Authenticate"] == "Bearer"
    assert login.json() == BAD_LOGIN
    assert sign_up.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert sign_up.json() == {"detail": [at(NUL, "body", "full_name")]}
    assert update.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert update.json() == {"detail": [at(NUL, "body", "full_name")]}
    assert search.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert search.json() == {"detail": [at(NUL, "query", "q")]}
    for response in (login, sign_up, update, search):
        assert_clean(response, PASSWORD)


# Finding 3: the 422 handler crashed (500) rendering an `input` JSON cannot encode.
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '{"email": NaN, "password": "correct horse battery"}',
            [error("string_type", ["body", "email"], "Input should be a valid string")],
            id="nan",
        ),
        pytest.param(
            '{"email": "s@example.com", "password": "correct horse battery", '
            '"full_name": "\\ud800"}',
            [at(SURROGATE, "body", "full_name")],
            id="lone-surrogate",
        ),
        pytest.param(
            '{"email": ' + "[" * 1000 + "]" * 1000 + ', "password": "correct horse battery"}',
            [error("string_type", ["body", "email"], "Input should be a valid string")],
            id="nested-1000-deep",
        ),
    ],
)
async def test_unencodable_or_deep_input_gets_a_422_without_it(
    client: httpx.AsyncClient, body: str, expected: list[dict[str, object]]
) -> None:
    response = await client.post(
        "/users", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": expected}
    assert_clean(response, "correct horse battery", "NaN", "[[")


# Finding 4: integers beyond PostgreSQL's `integer` reached the query (500).
async def test_integers_beyond_the_id_column_are_refused(
    client: httpx.AsyncClient, admin_headers: dict[str, str], user: User, jwt_secret: SecretStr
) -> None:
    too_big = INT4_MAX + 1
    read = await client.get(f"/users/{too_big}", headers=admin_headers)
    delete = await client.delete(f"/users/{too_big}", headers=admin_headers)
    page = await client.get("/users", params={"page": 2**62}, headers=admin_headers)
    user.id = too_big  # a token whose `sub` no row of an `integer` column can have
    me = await client.get("/users/me", headers=bearer(token_for(user, jwt_secret)))

    limit = error(
        "less_than_equal", ["path", "user_id"], f"Input should be less than or equal to {INT4_MAX}"
    )
    assert read.status_code == delete.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert read.json() == delete.json() == {"detail": [limit]}
    assert page.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert page.json() == {"detail": [{**limit, "loc": ["query", "page"]}]}
    assert me.status_code == status.HTTP_401_UNAUTHORIZED
    assert me.headers["WWW-Authenticate"] == "Bearer"
    assert me.json() == NOT_AUTHENTICATED
    for response in (read, delete, page, me):
        assert_clean(response, str(too_big))


# Finding 6: a 422 sent the rejected input back: the password in plain text, 10 MB whole.
async def test_validation_errors_never_echo_the_input(client: httpx.AsyncClient) -> None:
    short = await client.post("/users", json={"email": "a@example.com", "password": "hunter2!"})
    huge_name = "x" * 900_000
    huge = await client.post(
        "/users", json={"email": "b@example.com", "password": PASSWORD, "full_name": huge_name}
    )
    chosen_key = "k" * 10_000
    unknown = await client.post(
        "/users", json={"email": "c@example.com", "password": PASSWORD, chosen_key: 1}
    )

    assert short.status_code == huge.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert short.json() == {
        "detail": [
            error(
                "string_too_short",
                ["body", "password"],
                "String should have at least 12 characters",
            )
        ]
    }
    assert huge.json() == {
        "detail": [
            error(
                "string_too_long",
                ["body", "full_name"],
                "String should have at most 200 characters",
            )
        ]
    }
    assert unknown.json() == {
        "detail": [error("extra_forbidden", ["body", "k" * 100], "Extra inputs are not permitted")]
    }
    assert len(huge.content) < 200 and len(unknown.content) < 300
    assert_clean(short, "hunter2!")
    assert_clean(huge, "x" * 201)


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": password})


# Finding 5: sign-up stored NFC, login looked up the bytes as sent: 401 for the same address.
@pytest.mark.parametrize(
    ("signed_up_as", "stored", "logs_in_as"),
    [
        pytest.param(
            "jose\u0301@example.com", "jos\u00e9@example.com", "jose\u0301@example.com", id="nfd"
        ),
        pytest.param(
            "ada@xn--bcher-kva.example",
            "ada@b\u00fccher.example",
            "ADA@xn--bcher-kva.example",
            id="punycode",
        ),
        pytest.param(
            "ada@b\u00fccher.example",
            "ada@b\u00fccher.example",
            "ada@xn--bcher-kva.example",
            id="unicode",
        ),
    ],
)
async def test_login_normalises_the_email_as_sign_up_did(
    client: httpx.AsyncClient, signed_up_as: str, stored: str, logs_in_as: str
) -> None:
    created = await client.post("/users", json={"email": signed_up_as, "password": PASSWORD})
    response = await login(client, logs_in_as, PASSWORD)

    assert created.status_code == status.HTTP_201_CREATED
    assert created.json()["email"] == stored
    assert response.status_code == status.HTTP_200_OK
    assert response.json()["token_type"] == "bearer"


# Finding 7: no body limit; a 100 MB chunked body was read and parsed whole.
async def test_oversized_bodies_are_cut_off_with_413(client: httpx.AsyncClient) -> None:
    from app.core.config import get_settings

    limit = get_settings().max_body_size
    chunk = b" " * 65536
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        start = b'{"email": "big@example.com", "password": "'
        sent.append(len(start))
        yield start
        for _ in range(100 * 1024 * 1024 // len(chunk)):  # 100 MiB, unless the app stops reading
            sent.append(len(chunk))
            yield chunk

    json_headers = {"Content-Type": "application/json"}
    declared = await client.post("/users", content=b"{" + b" " * limit + b"}", headers=json_headers)
    streamed = await client.post("/users", content=chunks(), headers=json_headers)

    assert declared.status_code == status.HTTP_413_CONTENT_TOO_LARGE
    assert declared.text == "Content Too Large"
    assert streamed.status_code == status.HTTP_413_CONTENT_TOO_LARGE
    assert streamed.json() == {"detail": "Content Too Large"}
    assert limit < sum(sent) <= limit + len(chunk)  # stopped at the limit, not at 100 MiB


# Finding 8: 100 wrong passwords in 15 s, no 429, then the right one worked.
async def test_login_is_throttled_per_client_even_for_the_right_password(
    client: httpx.AsyncClient, user: User
) -> None:
    guesses = [await login(client, "ada@example.com", f"guess number {n:04}") for n in range(5)]
    right = await login(client, "ada@example.com", PASSWORD)

    assert [g.status_code for g in guesses] == [status.HTTP_401_UNAUTHORIZED] * 5
    assert right.status_code == status.HTTP_429_TOO_MANY_REQUESTS
    assert right.json() == {"detail": "Too many requests"}
    assert 1 <= int(right.headers["Retry-After"]) <= 60
    assert "access_token" not in right.text
    assert_clean(right, PASSWORD)


# Finding 9: any Host header was accepted.
@pytest.mark.parametrize("host", ["evil.example", "test.evil.example", "10.0.0.1"])
async def test_foreign_host_is_refused_before_any_endpoint(
    client: httpx.AsyncClient, host: str
) -> None:
    response = await client.post(
        "/users", json={"email": "h@example.com", "password": PASSWORD}, headers={"Host": host}
    )

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "Invalid host header"


# Finding 13: /docs and /redoc were served under `fastapi run`.
async def test_docs_are_off_unless_the_setting_turns_them_on(
    monkeypatch: pytest.MonkeyPatch, db_session: AsyncSession
) -> None:
    from app.core.config import Settings
    from app.main import create_app

    monkeypatch.delenv("APP_API_DOCS")  # the default, as production runs it
    statuses: dict[bool, list[int]] = {}
    for docs in (False, True):
        settings = Settings(api_docs=docs) if docs else Settings()
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            paths = ("/docs", "/redoc", "/openapi.json")
            statuses[docs] = [(await client.get(path)).status_code for path in paths]

    assert statuses[False] == [status.HTTP_404_NOT_FOUND] * 3
    assert statuses[True] == [status.HTTP_200_OK] * 3


# Finding 10: tokens stayed valid after a password change; the e-mail changed without the
# current password, so a stolen token alone could take the account over.
async def test_credential_changes_need_the_password_and_revoke_older_tokens(
    client: httpx.AsyncClient, user: User, user_headers: dict[str, str]
) -> None:
    new_password = "a brand new passphrase"
    email_alone = await client.patch(
        "/users/me", json={"email": "thief@example.com"}, headers=user_headers
    )
    wrong = await client.patch(
        "/users/me",
        json={"email": "thief@example.com", "current_password": "a guess, long enough"},
        headers=user_headers,
    )
    changed = await client.patch(
        "/users/me",
        json={"password": new_password, "current_password": PASSWORD},
        headers=user_headers,
    )
    old_token = await client.get("/users/me", headers=user_headers)
    fresh = await login(client, "ada@example.com", new_password)
    fresh_headers = bearer(fresh.json()["access_token"])
    moved = await client.patch(
        "/users/me",
        json={"email": "countess@example.com", "current_password": new_password},
        headers=fresh_headers,
    )
    after_move = await client.get("/users/me", headers=fresh_headers)

    assert email_alone.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert email_alone.json() == {
        "detail": [
            error(
                "value_error",
                ["body"],
                "Value error, current_password is needed to change password or email, "
                "and only then",
            )
        ]
    }
    assert wrong.status_code == status.HTTP_403_FORBIDDEN
    assert wrong.json() == {"detail": "Current password is incorrect"}
    assert changed.status_code == status.HTTP_200_OK
    assert old_token.status_code == status.HTTP_401_UNAUTHORIZED
    assert old_token.json() == NOT_AUTHENTICATED
    assert fresh.status_code == status.HTTP_200_OK
    assert moved.status_code == status.HTTP_200_OK
    assert moved.json()["email"] == "countess@example.com"
    assert after_move.status_code == status.HTTP_401_UNAUTHORIZED
    for response in (email_alone, wrong, changed, old_token, moved):
        assert_clean(response, PASSWORD, new_password)


# Finding 1 (in process; the flood against a real server is tests/app/test_flood.py): when
# every hashing thread is busy and the line for them is full, a login is refused at once.
async def test_full_hashing_queue_refuses_a_login_at_once_with_503(
    client: httpx.AsyncClient, user: User
) -> None:
    from app.services.passwords import hashing_queue

    queue = hashing_queue()
    release = threading.Event()

    def hold_a_thread() -> None:
        release.wait()

    async with anyio.create_task_group() as jobs:
        for _ in range(int(queue.limiter.total_tokens) + queue.waiting):
            jobs.start_soon(queue.run, hold_a_thread)
        await anyio.wait_all_tasks_blocked()
        full = queue.limiter.statistics()
        # Had the login joined the line, it would wait for `release`, set only after it.
        with anyio.fail_after(5):
            refused = await login(client, "ada@example.com", PASSWORD)
        release.set()
    served = await login(client, "ada@example.com", PASSWORD)

    assert (full.borrowed_tokens, full.tasks_waiting) == (queue.limiter.total_tokens, queue.waiting)
    assert refused.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {"detail": "Server busy, try again shortly"}
    assert served.status_code == status.HTTP_200_OK  # the queue drained; logins work again
    assert_clean(refused, PASSWORD)


async def test_token_whose_version_is_not_an_integer_is_refused(
    client: httpx.AsyncClient, user: User, jwt_secret: SecretStr
) -> None:
    claims = {"sub": str(user.id), "ver": "0", "exp": 2_000_000_000}  # "0" is not 0
    token = jwt.encode(claims, jwt_secret.get_secret_value(), algorithm="HS256")

    response = await client.get("/users/me", headers=bearer(token))

    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED
