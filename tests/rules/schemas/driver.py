"""What the driver raised under SQLAlchemy's `DBAPIError`, for proofs that show a bad input
reaching PostgreSQL."""


def driver_error(error: BaseException) -> str:
    """The dotted name of the asyncpg exception `error` was raised from, however deep SQLAlchemy
    chains it (asyncpg ships no type information, so it is named rather than imported)."""
    cause = error.__cause__
    while cause is not None and not type(cause).__module__.startswith("asyncpg"):
        cause = cause.__cause__
    return "" if cause is None else f"{type(cause).__module__}.{type(cause).__name__}"
