"""The `fastapi-rulebook` command: its version is the installed package's."""

import importlib.metadata
import runpy
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import fastapi_rulebook
from fastapi_rulebook.cli import app


def test_version_is_the_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"fastapi-rulebook {importlib.metadata.version('fastapi-rulebook')}\n"


def test_no_arguments_prints_help() -> None:
    result = CliRunner().invoke(app, [], prog_name="fastapi-rulebook")
    assert result.exit_code == 2
    assert "Usage: fastapi-rulebook [OPTIONS] COMMAND" in result.output


def test_unknown_command_is_named() -> None:
    result = CliRunner().invoke(app, ["nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.output


def test_runs_as_a_module(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `python -m fastapi_rulebook --help`, in this process so that coverage sees it.
    monkeypatch.setattr(sys, "argv", ["fastapi-rulebook", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("fastapi_rulebook", run_name="__main__")
    assert exit_info.value.code == 0
    assert "Usage: fastapi-rulebook [OPTIONS] COMMAND" in capsys.readouterr().out


def test_the_checker_imports_no_package_metadata() -> None:
    """The version is read on first use, so `lint` starts without importlib.metadata."""
    probe = (
        "import sys, fastapi_rulebook.cli, fastapi_rulebook.lint.runner; "
        "print('importlib.metadata' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert shown == "False\n"


def test_an_unknown_attribute_is_named() -> None:
    with pytest.raises(AttributeError, match="module 'fastapi_rulebook' has no attribute 'nope'"):
        fastapi_rulebook.nope  # noqa: B018
