"""Proofs for how-to-work/deprecated-patterns: with this project's warning filters a deprecated
API fails the test that uses it; with DeprecationWarning ignored, the same test passes without a
word. The Do's TOML is the project's own setting."""

import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from snippets.how_to_work import deprecated_patterns
from tests.evidence import Evidence
from tests.pytest_project import run_pytest_project

ROOT = Path(__file__).resolve().parents[3]
FOLDER = Path(deprecated_patterns.__file__).parent
# A test of code that uses a deprecated FastAPI API, as a requirement might force it.
USES_ON_EVENT = """
from fastapi import FastAPI


def test_app_builds() -> None:
    app = FastAPI()

    @app.on_event("startup")
    async def warm_cache() -> None: ...

    assert app.router.on_startup == [warm_cache]
"""


def pytest_options(toml: Path) -> dict[str, Any]:
    options: dict[str, Any] = tomllib.loads(toml.read_text())["tool"]["pytest"]["ini_options"]
    return options


def run_with(filterwarnings: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    lines = "".join(f"    {entry}\n" for entry in filterwarnings)
    return run_pytest_project(
        folder, f"filterwarnings =\n{lines}", {"test_startup.py": USES_ON_EVENT}
    )


def test_do_is_the_projects_own_setting() -> None:
    """The Do's `filterwarnings` equals `pyproject.toml`'s, which starts with `error` and has no
    `DeprecationWarning` exception."""
    project = pytest_options(ROOT / "pyproject.toml")

    assert pytest_options(FOLDER / "do.toml")["filterwarnings"] == project["filterwarnings"]
    assert project["filterwarnings"][0] == "error"
    assert not [f for f in project["filterwarnings"] if "DeprecationWarning" in f]


@pytest.mark.slow
def test_deprecated_api_fails_under_the_projects_filters(tmp_path: Path) -> None:
    """Pytest, with those filters, on a test that registers a startup handler with
    `@app.on_event`: the run fails with `DeprecationWarning: on_event is deprecated, use
    lifespan event handlers instead.`"""
    result = run_with(pytest_options(FOLDER / "do.toml")["filterwarnings"], tmp_path / "do")

    assert result.returncode == 1
    assert "DeprecationWarning: " in result.stdout
    assert "on_event is deprecated, use lifespan event handlers instead." in result.stdout


@pytest.mark.slow
def test_ignored_deprecations_let_it_pass_silently(tmp_path: Path, evidence: Evidence) -> None:
    """The same test with the Avoid's filters passes (`1 passed`), and the output does not
    mention a warning at all."""
    result = run_with(pytest_options(FOLDER / "avoid.toml")["filterwarnings"], tmp_path / "avoid")

    assert result.returncode == 0
    assert "1 passed" in result.stdout
    assert "warning" not in result.stdout.lower()  # not even in the summary
    evidence.add(
        f"exit code {result.returncode}\n{result.stdout.strip()}",
        "pytest with the Avoid's filters, on a test using @app.on_event",
    )
