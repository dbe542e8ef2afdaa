# Two formatters over the same files: ruff format (line-length 100, from pyproject.toml) and
# Black (no [tool.black] table, so its default of 88).
uv run ruff format .
uv run black .
