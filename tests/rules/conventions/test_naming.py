"""Proofs for conventions/naming: ruff's pep8-naming rules pass the Do and flag the Avoid's names;
separate `UserCreate`/`UserUpdate`/`UserRead` schemas keep the ORM `User` off the API, while the
ORM class used as the API's type breaks the app or, with the error silenced, leaks every column."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.exceptions import FastAPIError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import verify_password
from app.db.session import get_db
from app.models import User
from snippets.conventions.naming import avoid, do
from tests.evidence import Evidence, describe_response
from tests.lint import line_of, mypy_codes, ruff_codes_by_line, ruff_diagnostics, ruff_output

AVOID = Path(avoid.__file__)
DO = Path(do.__file__)
NAMING = ("--select", "N")  # pep8-naming: not in this project's default selection


def app_with(db_session: AsyncSession) -> FastAPI:
    app = FastAPI()

    async def test_db() -> AsyncIterator[AsyncSession]:
        yield db_session

    app.dependency_overrides[get_db] = test_db
    return app


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def test_ruff_pep8_naming_flags_the_avoid_names(evidence: Evidence) -> None:
    """`ruff check --select N` on the Avoid, line by line: `N816` on `defaultPageSize = 20`,
    `N801` on `class userPage`, `N815` on `pageSize: int`, and `N802` and `N803` on
    `def GetPage(pageSize: int)`. The code runs all the same: `GetPage(5)` returns
    `userPage(pageSize=5)`. Only the names are wrong."""
    assert ruff_codes_by_line(AVOID, *NAMING) == {
        line_of(AVOID, "defaultPageSize = 20"): {"N816"},  # mixedCase global
        line_of(AVOID, "class userPage("): {"N801"},  # class not in CapWords
        line_of(AVOID, "pageSize: int = defaultPageSize"): {"N815"},  # mixedCase in a class body
        line_of(AVOID, "def GetPage("): {"N802", "N803"},  # function and argument not lowercase
    }
    assert avoid.GetPage(5) == avoid.userPage(pageSize=5)  # it all runs: only names are wrong
    evidence.add(ruff_output(AVOID, *NAMING), "ruff check --select N, on the Avoid")


@pytest.mark.slow
def test_do_is_clean() -> None:
    """`ruff check --select N`, the project's own `ruff check` and `mypy --strict` report
    nothing on the Do."""
    assert ruff_diagnostics(DO, *NAMING) == []
    assert ruff_diagnostics(DO) == []
    assert mypy_codes(DO) == {}
    schemas = [do.UserCreate, do.UserUpdate, do.UserRead]
    assert [s.__name__ for s in schemas] == ["UserCreate", "UserUpdate", "UserRead"]
    assert do.DEFAULT_PAGE_SIZE == 20


async def test_separate_schemas_keep_the_orm_model_off_the_api(db_session: AsyncSession) -> None:
    """The Do's router on the test's PostgreSQL session: `POST /users` with `"is_admin": true`
    is refused (`422`, `extra_forbidden`); with an e-mail and a password it returns `201` and
    exactly `{"id", "email", "full_name", "is_active"}`, and the stored user is not an admin and
    its `hashed_password` verifies the password. `PATCH /users/{id}` changes the full name
    (`200`), and an unknown id gets `404`."""
    app = app_with(db_session)
    app.include_router(do.router)
    async with client(app) as http:
        sign_up = {"email": "ada@example.com", "password": "correct horse battery"}
        # Not a field of UserCreate: refused, not ignored.
        escalated = await http.post("/users", json=sign_up | {"is_admin": True})
        created = await http.post("/users", json=sign_up)
        user_id = created.json()["id"]
        renamed = await http.patch(f"/users/{user_id}", json={"full_name": "Ada Lovelace"})
        missing = await http.patch("/users/999999", json={"full_name": "Nobody"})

    assert escalated.status_code == 422
    assert escalated.json()["detail"][0]["type"] == "extra_forbidden"
    assert created.status_code == 201
    assert created.json() == {
        "id": user_id,
        "email": "ada@example.com",
        "full_name": None,
        "is_active": True,
    }
    assert renamed.status_code == 200
    assert renamed.json()["full_name"] == "Ada Lovelace"
    assert missing.status_code == 404
    stored = await db_session.scalar(select(User).where(User.id == user_id))
    assert stored is not None
    assert stored.is_admin is False
    assert verify_password("correct horse battery", stored.hashed_password)


def test_orm_class_as_api_type_breaks_the_app(evidence: Evidence) -> None:
    """Registering the Avoid's `read_user`, whose return type is `User | None`, raises
    `fastapi.exceptions.FastAPIError: Invalid args for response field!`."""
    with pytest.raises(FastAPIError) as raised:
        avoid.mount(FastAPI())
    evidence.add(raised.value, "app.get(...)(read_user), returning User | None")
    assert str(raised.value).startswith(
        "Invalid args for response field! Hint: check that app.models.user.User | None is a "
        "valid Pydantic field type."
    )


async def test_orm_object_without_response_model_leaks_every_column(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The Avoid's `read_user` registered with `response_model=None` instead, reading a stored
    admin: `200`, and the body carries `id`, `email`, `hashed_password`
    (`$argon2id$v=19$secret`), `is_active`, `is_admin: true` and `created_at`."""
    user = User(email="ada@example.com", hashed_password="$argon2id$v=19$secret", is_admin=True)
    db_session.add(user)
    await db_session.flush()
    app = app_with(db_session)
    avoid.mount_without_response_model(app)
    async with client(app) as http:
        response = await http.get(f"/users/{user.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["hashed_password"] == "$argon2id$v=19$secret"
    assert body["is_admin"] is True
    # Whatever the ORM object has loaded goes out: nothing decides what a client may see.
    assert {"id", "email", "hashed_password", "is_active", "is_admin", "created_at"} <= set(body)
    assert await avoid.read_user(user.id, db_session) is user
    # The id (a sequence) and the timestamp differ from run to run, and so the body's length.
    shown = describe_response(response)
    shown = shown.replace(f"/users/{user.id}", "/users/<id>")
    shown = shown.replace(f'"id": {user.id}', '"id": <id>')
    shown = shown.replace(body["created_at"], "<timestamp>")
    shown = re.sub(r"(?m)^content-length: \d+$", "content-length: <n>", shown)
    evidence.add(shown, "GET /users/{id}, served with response_model=None")
