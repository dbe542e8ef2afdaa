"""Behind PgBouncer or on serverless: no pool in the app, unique prepared-statement names."""

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool


def statement_name() -> str:
    return f"__asyncpg_{uuid4()}__"


def create_pgbouncer_engine(url: str) -> AsyncEngine:
    return create_async_engine(
        url,
        # The pooler pools: each checkout opens a connection, each return closes it.
        poolclass=NullPool,
        # PgBouncer may run each transaction on another server connection; unique names keep
        # asyncpg's prepared statements from colliding there.
        connect_args={"prepared_statement_name_func": statement_name},
    )
