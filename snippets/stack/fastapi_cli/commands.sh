# Development: auto-reload on every change, listening on 127.0.0.1 only.
uv run fastapi dev src/app/main.py
# Production: no reloader, listening on 0.0.0.0 (add --workers N to run N processes).
uv run fastapi run src/app/main.py
