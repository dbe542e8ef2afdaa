"""Every code `fastapi-rulebook lint` reports: its rule page and a message that says the fix.

Codes are stable: a code is never reused for another check. The hundreds follow the rule set's
sections (1 stack, 3 async SQLAlchemy, 4 schemas, 5 dependencies, 6 routers, 7 lifecycle,
8 testing, 9 security); the docs' Checker page is generated from this table.
"""

from dataclasses import dataclass

# mkdocs.yml `site_url` (a test keeps them equal): the wheel carries no mkdocs.yml to read.
SITE_URL = "https://fastapi-rulebook.github.io/fastapi-rulebook/"


@dataclass(frozen=True)
class Code:
    code: str
    page: str  # the rule page under docs/, without `.md`: `security/jwt-validation`
    message: str  # what is wrong, then the fix

    @property
    def url(self) -> str:
        return f"{SITE_URL}{self.page}/"


_CODES = [
    Code(
        "RB101",
        "stack/lazy-annotations",
        "`from __future__ import annotations` turns every annotation FastAPI reads into a "
        "string; delete it (Python 3.14 evaluates annotations lazily)",
    ),
    Code(
        "RB102",
        "stack/runtime-imports",
        "a type FastAPI or Pydantic reads at run time is imported under `if TYPE_CHECKING:`; "
        "import it at module level",
    ),
    Code(
        "RB103",
        "stack/fastapi-cli",
        "`uvicorn.run()` in code; serve with `fastapi dev` or `fastapi run`",
    ),
    Code(
        "RB104",
        "stack/async-drivers",
        "psycopg2 is a sync driver; use `postgresql+asyncpg://` (or `postgresql+psycopg://`)",
    ),
    Code(
        "RB105",
        "stack/pwdlib-and-pyjwt",
        "passlib and python-jose are unmaintained; hash with pwdlib, sign tokens with PyJWT",
    ),
    Code(
        "RB106",
        "stack/sqlalchemy-2-orm",
        "`declarative_base()` is the 1.x API; subclass `sqlalchemy.orm.DeclarativeBase`",
    ),
    Code(
        "RB301",
        "async-sqlalchemy/blocking-calls",
        "a sync SQLAlchemy `Session` in an `async def` blocks the event loop; use `AsyncSession`",
    ),
    Code(
        "RB302",
        "async-sqlalchemy/blocking-calls",
        "a sync engine, session factory or driver connection made in an `async def` blocks the "
        "event loop; use `create_async_engine`/`async_sessionmaker`",
    ),
    Code(
        "RB303",
        "async-sqlalchemy/missing-greenlet",
        "an object added before `await session.commit()` is read after it, and this module's "
        "session factory expires on commit: the read needs I/O (MissingGreenlet); pass "
        "`expire_on_commit=False` or `await session.refresh(obj)`",
    ),
    Code(
        "RB304",
        "async-sqlalchemy/missing-greenlet",
        "`async_sessionmaker` without `expire_on_commit=False`: every commit expires the loaded "
        "objects, and reading them again needs I/O; pass `expire_on_commit=False`",
    ),
    Code(
        "RB305",
        "async-sqlalchemy/query-style",
        "`session.query()` is the legacy 1.x Query API; use `await session.scalars(select(...))`",
    ),
    Code(
        "RB306",
        "async-sqlalchemy/typed-columns",
        "an untyped `Column()` attribute; write `name: Mapped[T] = mapped_column()`",
    ),
    Code(
        "RB307",
        "async-sqlalchemy/alembic-migrations",
        "`metadata.create_all` in code; create and change tables with Alembic migrations",
    ),
    Code(
        "RB308",
        "async-sqlalchemy/pool-tuning",
        "`create_async_engine` without `pool_pre_ping=True`: a dropped connection fails the "
        "next request; pass `pool_pre_ping=True` and size the pool",
    ),
    Code(
        "RB309",
        "async-sqlalchemy/concurrent-queries",
        "concurrent queries on one session; give each task its own session",
    ),
    Code(
        "RB310",
        "async-sqlalchemy/session-dependency",
        "the session dependency commits after `yield`, once the response is sent; commit in "
        "the service",
    ),
    Code(
        "RB401",
        "schemas/pydantic-v2-api",
        "`class Config` is Pydantic v1; write `model_config = ConfigDict(...)`",
    ),
    Code(
        "RB402",
        "schemas/pydantic-v2-api",
        "`@validator`/`@root_validator` are Pydantic v1; use `@field_validator`/`@model_validator`",
    ),
    Code(
        "RB403",
        "schemas/pydantic-v2-api",
        "a Pydantic v1 method; use `model_validate()`, `model_validate_json()` or `model_dump()`",
    ),
    Code(
        "RB404",
        "schemas/from-attributes",
        "`orm_mode` is Pydantic v1 and ignored by v2; write `ConfigDict(from_attributes=True)`",
    ),
    Code(
        "RB405",
        "schemas/separate-schemas",
        "a create or update schema that accepts unknown fields; give it "
        '`model_config = ConfigDict(extra="forbid")`',
    ),
    Code(
        "RB406",
        "schemas/omit-internal-fields",
        "a response schema with a password hash field; leave internal fields off read schemas",
    ),
    Code(
        "RB407",
        "schemas/secret-str",
        "a secret setting typed `str` shows in every repr and log; type it `SecretStr`",
    ),
    Code(
        "RB501",
        "dependencies/guard-dependencies",
        "a dependency parameter the endpoint never reads; put the guard in "
        "`dependencies=[Depends(...)]`",
    ),
    Code(
        "RB502",
        "dependencies/guard-dependencies",
        "a guard in `dependencies=[...]` that returns a bool: FastAPI discards the value; "
        "raise `HTTPException(status.HTTP_403_FORBIDDEN)` instead",
    ),
    Code(
        "RB503",
        "dependencies/yield-cleanup",
        "a dependency returns a session that nobody closes; `yield` it under `async with`",
    ),
    Code(
        "RB504",
        "dependencies/inject-settings",
        "settings read into a module global at import; inject `SettingsDep` "
        "(`Annotated[Settings, Depends(get_settings)]`)",
    ),
    Code(
        "RB601",
        "routers/explicit-response-model",
        "an operation with neither `response_model=` nor a return annotation; declare one",
    ),
    Code(
        "RB602",
        "routers/status-codes",
        "a status code written as a number; use a `status.HTTP_...` constant",
    ),
    Code(
        "RB603",
        "routers/status-codes",
        "a create operation on the default 200; pass `status_code=status.HTTP_201_CREATED`",
    ),
    Code(
        "RB604",
        "routers/status-codes",
        "a delete operation on the default 200; pass `status_code=status.HTTP_204_NO_CONTENT`",
    ),
    Code(
        "RB605",
        "routers/raise-http-exception",
        "an error returned as a dict answers 200 OK; `raise HTTPException(status...)`",
    ),
    Code(
        "RB606",
        "routers/validated-query-params",
        "an unbounded pagination parameter; bound it: `Annotated[int, Query(ge=1, le=100)]`",
    ),
    Code(
        "RB701",
        "lifecycle/lifespan",
        "`@app.on_event` is deprecated; pass an `@asynccontextmanager` `lifespan` to `FastAPI()`",
    ),
    Code(
        "RB702",
        "lifecycle/settings",
        "`os.environ` read in app code; read configuration once, in pydantic-settings `Settings`",
    ),
    Code(
        "RB801",
        "testing/async-test-client",
        "`TestClient` in an async test runs the app on another event loop; use "
        "`httpx.AsyncClient(transport=ASGITransport(app))`",
    ),
    Code(
        "RB802",
        "testing/real-postgres",
        "a SQLite database URL; test against PostgreSQL, the database production runs",
    ),
    Code(
        "RB901",
        "security/jwt-validation",
        '`jwt.decode` without `options={"require": ["exp", ...]}`: a token without `exp` '
        "never expires; require `exp`",
    ),
    Code(
        "RB902",
        "security/jwt-validation",
        "`jwt.decode` with a check switched off; keep signature, `exp` and `aud` verification on",
    ),
    Code(
        "RB903",
        "security/jwt-validation",
        "`jwt.encode` of claims without `exp`: the token never expires; add `exp`",
    ),
    Code(
        "RB904",
        "security/jwt-validation",
        "the allowed algorithm taken from the token's own header; list the algorithms you sign "
        "with",
    ),
    Code(
        "RB905",
        "security/cors-origins",
        'CORS `allow_origins=["*"]` with `allow_credentials=True`; list the trusted origins',
    ),
    Code(
        "RB906",
        "security/password-hashing",
        "a password hashed with a fast digest; use pwdlib `PasswordHash.recommended()`",
    ),
    Code(
        "RB907",
        "security/sql-injection",
        "SQL text built from values; bind them: `text('... :name')` with parameters, or `select()`",
    ),
    Code(
        "RB908",
        "security/no-leaked-internals",
        "`FastAPI(debug=True)` sends tracebacks to clients; leave `debug` off",
    ),
    Code(
        "RB909",
        "security/no-leaked-internals",
        "an exception's text sent as the `detail`; send a fixed message and log the error",
    ),
    Code(
        "RB910",
        "security/limit-body-size",
        "`FastAPI(max_body_size=...)` limits nothing; limit bodies at the proxy or in a middleware",
    ),
]

CODES: dict[str, Code] = {code.code: code for code in _CODES}
