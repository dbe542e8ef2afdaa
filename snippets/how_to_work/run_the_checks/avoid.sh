# "The tests pass: done."
uv run pytest
