"""The `fastapi-rulebook` command-line tool."""
