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

from tests.evidence import Evidence
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
    """`uv lock --check --offline` in the repository exits 0 (`Resolved ... packages`), and
    `git ls-files` lists both `pyproject.toml` and `uv.lock`."""
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
    """No `requirements*.txt`/`.in`, `Pipfile`, `Pipfile.lock`, `poetry.lock`, `setup.py` or
    `setup.cfg`, neither tracked by git nor anywhere in the working tree outside `.venv`;
    `pyproject.toml` has no `[tool.poetry]` table and builds with hatchling."""
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
def test_requirements_file_is_invisible_to_uv(tmp_path: Path, evidence: Evidence) -> None:
    """A copy of `pyproject.toml` and `uv.lock` in a scratch directory, plus a `requirements.txt`
    naming `orjson==3.10.18`: `uv lock --check` still passes, and `uv tree --frozen` lists
    fastapi, sqlalchemy and asyncpg but no orjson. As far as the project commands are concerned,
    the requirement is simply not there."""
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
    evidence.add(
        (tmp_path / "requirements.txt").read_text(encoding="utf-8").strip(),
        "cat requirements.txt",
    )
    # The interpreter uv found and the number of locked packages vary with the machine and
    # the lock: the rest of its output is the fact.
    said = [line for line in check.stderr.splitlines() if not line.startswith("Using ")]
    said = [re.sub(r"^Resolved \d+ packages", "Resolved <n> packages", line) for line in said]
    evidence.add("\n".join([f"exit code {check.returncode}", *said]), "uv lock --check --offline")
    listed = ", ".join(
        f"{name}: {'listed' if name in packages else 'absent'}"
        for name in ("fastapi", "sqlalchemy", "asyncpg", "orjson")
    )
    evidence.add(listed, "uv tree --frozen --offline, the packages it lists")


@pytest.mark.slow
def test_bare_pip_cannot_install_into_the_project(evidence: Evidence) -> None:
    """The tests run in the project's `.venv`, made by uv, which has no `pip` executable, and
    `python -m pip --version` fails with `No module named pip`. The first `pip` on the tests'
    `PATH`, if there is one, belongs to another interpreter, which it would install into."""
    # The environment uv made has no pip at all...
    venv = Path(sys.prefix)
    assert "\nuv = " in (venv / "pyvenv.cfg").read_text(encoding="utf-8")  # uv made it
    assert not (Path(sys.executable).parent / "pip").exists()
    no_pip = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=False
    )
    assert no_pip.returncode == 1
    assert no_pip.stderr.strip().endswith("No module named pip")
    evidence.add(
        f"exit code {no_pip.returncode}\n{no_pip.stderr.strip()}",
        "python -m pip --version, in .venv",
    )
    # ...so the first `pip` on this PATH (if any) belongs to another interpreter, and would
    # install there.
    found = shutil.which("pip")
    if found is not None:
        other = subprocess.run([found, "--version"], capture_output=True, text=True, check=False)
        assert str(venv) not in other.stdout, other.stdout
