"""The checks on small modules: what each code catches beyond the rule pages' Avoid code, and
the look-alikes it must leave alone (a linter that cries wolf gets switched off)."""

import textwrap

import pytest

from fastapi_rulebook.lint.checker import check_source

CASES = {
    "passlib and jose imports": (
        """
        import passlib.hash
        from jose import jwt
        from passlib.context import CryptContext
        """,
        {(2, "RB105"), (3, "RB105"), (4, "RB105")},
    ),
    "psycopg2 imported, or named by a bare postgresql:// URL": (
        """
        import psycopg2
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("postgresql://app@db/app", pool_pre_ping=True)
        """,
        {(2, "RB104"), (5, "RB104")},
    ),
    "a sync engine and driver connection made inside async def": (
        """
        import psycopg2
        from sqlalchemy import create_engine

        async def report(url: str) -> None:
            engine = create_engine(url)
            connection = psycopg2.connect(url)

        def sync_report(url: str) -> None:
            engine = create_engine(url)
        """,
        {(2, "RB104"), (6, "RB302"), (7, "RB302")},
    ),
    "class Config without orm_mode, and TYPE_CHECKING blocks that hold no runtime type": (
        """
        from typing import TYPE_CHECKING

        from pydantic import BaseModel

        if TYPE_CHECKING:
            from collections.abc import Sequence
            ALIAS = int

        class Item(BaseModel):
            name: str

            class Config:
                frozen = True

        def first(items: "Sequence[Item]") -> Item:
            return items[0]
        """,
        {(13, "RB401")},
    ),
    "a create schema inheriting extra='forbid' from its base": (
        """
        from pydantic import BaseModel, ConfigDict

        class Strict(BaseModel):
            model_config = ConfigDict(extra="forbid")

        class UserCreate(Strict):
            email: str

        class UserUpdate(BaseModel):
            model_config = ConfigDict(frozen=True)
        """,
        {(10, "RB405")},
    ),
    "jwt.encode with exp, and jwt.decode requiring it through a constant": (
        """
        import jwt

        REQUIRED = ["exp", "sub"]

        def sign(claims: dict[str, object], key: str) -> str:
            return jwt.encode({"exp": 1, "sub": "1"}, key, algorithm="HS256")

        def read(token: str, key: str) -> dict[str, object]:
            return jwt.decode(token, key, algorithms=["HS256"], options={"require": REQUIRED})
        """,
        set(),
    ),
    "an HTTPException without detail, and a fixed detail in an except block": (
        """
        from fastapi import HTTPException, status

        def fail() -> None:
            raise HTTPException(status.HTTP_404_NOT_FOUND)

        def convert() -> None:
            try:
                pass
            except ValueError as error:
                raise HTTPException(status.HTTP_400_BAD_REQUEST, "bad input") from error
        """,
        set(),
    ),
    "int status codes outside a route, positional to HTTPException": (
        """
        from fastapi import HTTPException

        def fail() -> None:
            raise HTTPException(404, detail="Not found")
        """,
        {(5, "RB602")},
    ),
    "guards that raise in dependencies=[...], and a dependency the endpoint reads": (
        """
        from typing import Annotated

        from fastapi import APIRouter, Depends

        router = APIRouter()

        async def require_admin() -> None: ...

        async def current_user() -> str:
            return "ada"

        @router.get("/me", dependencies=[Depends(require_admin), "not a call"])
        async def me(user: Annotated[str, Depends(current_user)]) -> str:
            return user
        """,
        set(),
    ),
    "SQL identifiers in an f-string, values bound as parameters": (
        """
        from sqlalchemy import text

        def create(schema: str):
            return text(f'CREATE SCHEMA "{schema}"')

        def find(name: str):
            return text("SELECT id FROM users WHERE name = :name").bindparams(name=name)

        def search(name: str):
            return text(f"SELECT id FROM users WHERE name LIKE '{name}%'")
        """,
        {(11, "RB907")},
    ),
    "an engine on NullPool, on a URL neither sqlite nor postgres, or with **options": (
        """
        from sqlalchemy.ext.asyncio import create_async_engine
        from sqlalchemy.pool import NullPool

        a = create_async_engine("postgresql+asyncpg://db/app", poolclass=NullPool)
        b = create_async_engine("mysql+aiomysql://db/app", pool_pre_ping=True)
        c = create_async_engine(url="postgresql+asyncpg://db/app", **{"pool_pre_ping": True})
        """,
        set(),
    ),
    "tests may read the environment and create tables": (
        """
        import os

        async def test_tables(connection, metadata) -> None:
            url = os.environ["TEST_DATABASE_URL"]
            await connection.run_sync(metadata.create_all)
        """,
        set(),
    ),
    "a return outside any function": ("return None\n", set()),
    "a unit of work that commits when its block ends, and a script on psycopg2": (
        """
        import contextlib

        import psycopg2

        @contextlib.asynccontextmanager
        async def unit_of_work(factory):
            async with factory() as session:
                yield session
                await session.commit()

        def test_it():
            pass
        """,
        set(),
    ),
    "every way of reading one variable": (
        """
        import os
        from os import environ, getenv

        A = os.environ["A"]
        B = environ.get("B")
        C = getenv("C")
        D = "D" in os.environ or "E" not in environ
        """,
        {(5, "RB702"), (6, "RB702"), (7, "RB702"), (8, "RB702")},
    ),
    "look-alikes: a mock's status_code, a pre-ping from a variable, SET, a mock session": (
        """
        import os
        from unittest.mock import MagicMock

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        def engine(url: str, ping: bool):
            return create_async_engine(url, pool_pre_ping=ping)

        def response():
            return MagicMock(status_code=403)

        def set_zone(zone: str):
            return text(f"SET LOCAL TIME ZONE '{zone}'")

        def fake_session() -> AsyncSession:
            return MagicMock(spec=AsyncSession)

        def configure(run) -> None:
            os.environ["TZ"] = "UTC"
            del os.environ["TZ"]
            os.environ.setdefault("TZ", "UTC")
            run(["git", "status"], env=os.environ.copy())
        """,
        set(),
    ),
    "a .dict() on a lower-case name, .parse_obj on a class, and dict methods left alone": (
        """
        def dump(model, Model, payload, mapping):
            model.dict(exclude={"password"})
            Model.parse_obj(payload)
            mapping.items()
            dict(mapping)
        """,
        {(3, "RB403"), (4, "RB403")},
    ),
}


@pytest.mark.parametrize(("source", "expected"), CASES.values(), ids=list(CASES))
def test_codes_on_small_modules(source: str, expected: set[tuple[int, str]]) -> None:
    test_file = "def test_" in source
    found = check_source(textwrap.dedent(source), "module.py", test_file=test_file)
    assert {(f.line, f.code) for f in found} == expected
