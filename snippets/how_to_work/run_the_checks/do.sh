# Before calling a change done: let ruff fix and format what it can, then type-check and test.
# Whatever still fails, fix it (or report it with the fix); never hand over a red check.
uv run ruff check --fix
uv run ruff format
uv run mypy   # every path pyproject.toml names (src, tests, ...), not only src
uv run pytest
