"""The checker: `fastapi-rulebook lint`, standard-library `ast` only."""
