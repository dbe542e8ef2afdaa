"""FastAPI Rulebook's command-line tool: rule files for AI coding agents, and a checker."""


def __getattr__(name: str) -> str:
    # Read on first use: importing importlib.metadata costs a linted tree's start-up more
    # than the checks of a small project do.
    if name == "__version__":
        from importlib.metadata import version

        return version("fastapi-rulebook")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
