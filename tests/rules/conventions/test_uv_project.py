"""Proofs for conventions/uv-project: `uv lock --check` passes, uv.lock is committed and no
requirements file, Pipfile or Poetry file exists; a requirements.txt is invisible to uv, and a
bare `pip` cannot install into the project's environment."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest

from tests.lint import PYPROJECT, ROOT

OTHER_MANAGERS = ("Pipfile", "Pipfile.lock", "poetry.lock", "setup.py", "setup.cfg")
# Where no dependency list of the project can be: the environment, Git's store, tool caches.
NOT_SEARCHED = {".venv", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}


def uv() -> str:
    binary = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own binary
    assert binary is not None, "uv is not on PATH"
    return binary


def run_uv(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}  # the project's own .venv
    return subprocess.run(
        [uv(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_lock_is_committed_and_current() -> None:
    result = run_uv("lock", "--check", "--offline", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Resolved" in result.stderr
    assert "uv.lock" in tracked_files()
    assert "pyproject.toml" in tracked_files()


def files_on_disk() -> Iterator[Path]:
    """Every file of the working tree, tracked or not, outside NOT_SEARCHED."""
    for folder, folders, files in ROOT.walk():
        folders[:] = [name for name in folders if name not in NOT_SEARCHED]
        yield from (folder / name for name in files)


def test_no_other_dependency_list() -> None:
    names = [Path(f).name for f in tracked_files()]
    assert [n for n in names if n.startswith("requirements") and n.endswith((".txt", ".in"))] == []
    assert [n for n in names if n in OTHER_MANAGERS] == []
    # Nor any untracked one lying around the working tree.
    patterns = ("requirements*.txt", "requirements*.in", *OTHER_MANAGERS)
    on_disk = [p for p in files_on_disk() if any(fnmatch(p.name, pat) for pat in patterns)]
    assert on_disk == []
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert "poetry" not in config.get("tool", {})
    assert config["build-system"]["build-backend"] == "hatchling.build"


@pytest.mark.slow
def test_requirements_file_is_invisible_to_uv(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock", "README.md", "tools/rulebook/pyproject.toml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "requirements.txt").write_text("orjson==3.10.18\n", encoding="utf-8")

    # uv reads pyproject.toml and uv.lock only: the extra requirement changes nothing.
    check = run_uv("lock", "--check", "--offline", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    tree = run_uv("tree", "--frozen", "--offline", cwd=tmp_path)
    assert tree.returncode == 0, tree.stderr
    packages = set(re.findall(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])? v\d", tree.stdout))
    assert {"fastapi", "sqlalchemy", "asyncpg"} <= packages
    assert "orjson" not in packages


@pytest.mark.slow
def test_bare_pip_cannot_install_into_the_project() -> None:
    # The environment uv made has no pip at all...
    venv = Path(sys.prefix)
    assert "\nuv = " in (venv / "pyvenv.cfg").read_text(encoding="utf-8")  # uv made it
    assert not (Path(sys.executable).parent / "pip").exists()
    no_pip = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=False
    )
    assert no_pip.returncode == 1
    assert no_pip.stderr.strip().endswith("No module named pip")
    # ...so the first `pip` on this PATH (if any) belongs to another interpreter, and would
    # install there.
    found = shutil.which("pip")
    if found is not None:
        other = subprocess.run([found, "--version"], capture_output=True, text=True, check=False)
        assert str(venv) not in other.stdout, other.stdout
