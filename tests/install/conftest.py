"""A user's repository in a temporary folder, and the user's command run on it in-process."""

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fastapi_rulebook.cli import app


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    root.mkdir()
    return root


def run(repo: Path, *args: str) -> Result:
    """`fastapi-rulebook <args> --root <repo>`."""
    return CliRunner().invoke(app, [*args, "--root", str(repo)])
