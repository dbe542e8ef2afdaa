"""Record the SQL a connection sends, to prove how many queries a piece of code needed."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncConnection


@contextmanager
def recorded_selects(connection: AsyncConnection) -> Iterator[list[str]]:
    """The SELECT statements sent on `connection` inside the block."""
    selects: list[str] = []

    def record(
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    try:
        yield selects
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", record)
