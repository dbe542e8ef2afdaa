"""The release workflow: on a version tag it checks the tag, tests and builds the wheel, and
publishes it through trusted publishing."""

import os
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    return data


def runs(job: str) -> list[str]:
    return [step["run"] for step in workflow()["jobs"][job]["steps"] if "run" in step]


def test_a_version_tag_builds_tests_and_publishes_the_wheel() -> None:
    # PyYAML reads the `on:` key as True (YAML 1.1); GitHub reads it as `on`.
    assert workflow()[True] == {"push": {"tags": ["v*"]}}
    build = runs("build")
    assert build[0] == "uv sync --locked"
    assert "uv run rulebook generate --check" in build
    assert any(run.startswith("uv run pytest tests/install") for run in build)
    assert build[-1] == "uv build --wheel --out-dir dist"
    assert runs("publish") == ["uv publish --trusted-publishing always dist/*"]
    # Only the publishing job may mint the PyPI token.
    assert workflow()["permissions"] == {"contents": "read"}
    assert workflow()["jobs"]["publish"]["permissions"] == {"id-token": "write"}
    assert workflow()["jobs"]["publish"]["needs"] == "build"


@pytest.mark.slow
def test_the_tag_must_name_the_packages_version() -> None:
    (check,) = [run for run in runs("build") if "GITHUB_REF_NAME" in run]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

    def step(tag: str) -> int:
        env = {**os.environ, "GITHUB_REF_NAME": tag}
        return subprocess.run(["bash", "-c", check], cwd=ROOT, env=env, check=False).returncode

    assert step(f"v{version}") == 0
    assert step(f"v{version}.1") != 0
