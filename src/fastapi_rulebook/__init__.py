"""FastAPI Rulebook's command-line tool: rule files for AI coding agents, and a checker."""

from importlib.metadata import version

__version__ = version("fastapi-rulebook")
