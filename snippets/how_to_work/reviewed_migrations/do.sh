# The model changed: let Alembic draft the migration from the difference...
uv run alembic revision --autogenerate -m "add customers.phone"
# ...read the new file under alembic/versions/ and fix what autogenerate cannot know
# (renames, data to move, server defaults), then apply it and check nothing is left over:
uv run alembic upgrade head
uv run alembic check   # "No new upgrade operations detected."
