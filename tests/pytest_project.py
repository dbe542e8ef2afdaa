"""Run pytest on a small project of its own, for proofs about pytest's own configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def child_pytest_env(**extra: str) -> dict[str, str]:
    """The environment of a child pytest. It loads only the plugins its command names (`-p`):
    the installed ones (hypothesis, schemathesis, pytest-examples and the rest) would cost each
    run about 2 s of imports. It is no worker of this run's xdist, even when one starts it."""
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST_")
    }
    return env | {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"} | extra


def use_child_pytest_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give this process `child_pytest_env()` until the test ends, for a child pytest run in
    process (pytester's `runpytest_inprocess`)."""
    env = child_pytest_env()
    for name in os.environ.keys() - env.keys():
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def run_pytest_project(
    folder: Path, ini: str, tests: dict[str, str], plugins: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Write `pytest.ini` (the `[pytest]` section's body) and the test files, then run pytest
    with `plugins` (modules) and no other."""
    folder.mkdir()
    (folder / "pytest.ini").write_text(f"[pytest]\n{ini}")
    for name, source in tests.items():
        (folder / name).write_text(source)
    loads = [option for plugin in plugins for option in ("-p", plugin)]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *loads, str(folder)],
        cwd=folder,
        env=child_pytest_env(),
        capture_output=True,
        text=True,
        check=False,
    )
