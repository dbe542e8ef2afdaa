"""The `fastapi-rulebook` command: its version is the installed package's."""

import importlib.metadata
import runpy
import sys

import pytest
from typer.testing import CliRunner

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
