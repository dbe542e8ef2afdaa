"""agnix, the agent-configuration linter, finds nothing wrong with what we install: no error,
no warning, in strict mode. The rules it is told to skip are in .agnix.toml, each with the
tool documentation that contradicts it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_rulebook.install.files import release
from tests.install.conftest import run

ROOT = Path(__file__).resolve().parents[2]
AGNIX = Path(sys.executable).parent / "agnix"

pytestmark = pytest.mark.slow  # agnix is another program


def agnix(repo: Path) -> dict[str, object]:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    result = subprocess.run(
        [
            str(AGNIX),
            "--strict",
            "--format",
            "json",
            "--config",
            str(ROOT / ".agnix.toml"),
            "validate",
            str(repo),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, object] = json.loads(result.stdout)
    problems = [d for d in report["diagnostics"] if d["level"] != "info"]  # type: ignore[attr-defined]
    assert problems == [], problems
    assert result.returncode == 0, result.stderr
    return report


def test_every_target_validates(tmp_path: Path) -> None:
    for files in release().targets.values():
        for path, text in files.items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text)

    report = agnix(tmp_path)

    assert report["summary"] == {"errors": 0, "warnings": 0, "info": report["summary"]["info"]}  # type: ignore[index]
    assert report["files_checked"] >= sum(len(files) for files in release().targets.values()) - 5  # type: ignore[operator]


def test_an_installed_repository_with_the_users_own_files_validates(tmp_path: Path) -> None:
    (tmp_path / "AGENTS.md").write_text("# Our service\n\nRun `make test` before pushing.\n")
    (tmp_path / "CLAUDE.md").write_text("# Notes for Claude\n\nPrefer small commits.\n")
    (tmp_path / ".aider.conf.yml").write_text("model: sonnet\n")
    assert run(tmp_path, "init", "--tool", "all").exit_code == 0

    agnix(tmp_path)
