"""Run ruff, mypy and `fastapi-rulebook lint` on a file, the way the rule pages' proofs need
them: by rule code.

Avoid snippets are skipped by the repo-wide runs on purpose; their tests call these instead.
ruff runs once per session and set of options over every snippet and `src/` file together (a
test asking about one of them reads that run); another file gets a run of its own.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

from fastapi_rulebook.lint.checker import Finding
from fastapi_rulebook.lint.runner import Options, lint

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def _run_ruff(paths: list[Path], options: tuple[str, ...]) -> list[dict[str, object]]:
    """`ruff check` on `paths`, passed by name: checked even when `extend-exclude` skips them
    in a repo-wide run."""
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", "--output-format", "json", *options]
        + [str(path) for path in paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 2 would be a ruff failure, not findings
    diagnostics: list[dict[str, object]] = json.loads(result.stdout)
    return diagnostics


@cache
def _batched_files() -> frozenset[Path]:
    folders = (ROOT / "snippets", ROOT / "src")
    return frozenset(
        p for folder in folders for p in folder.rglob("*.py") if "__pycache__" not in p.parts
    )


@cache
def _ruff_batch(options: tuple[str, ...]) -> dict[Path, list[dict[str, object]]]:
    """One ruff run over every batched file, its diagnostics by file."""
    by_file: dict[Path, list[dict[str, object]]] = {path: [] for path in _batched_files()}
    for diagnostic in _run_ruff(sorted(_batched_files()), options):
        by_file[Path(str(diagnostic["filename"])).resolve()].append(diagnostic)
    return by_file


def ruff_diagnostics(path: Path, *options: str) -> list[dict[str, object]]:
    """Every diagnostic `ruff check` reports on `path` with this project's configuration."""
    resolved = path.resolve()
    if resolved in _batched_files():
        return _ruff_batch(options)[resolved]
    return _run_ruff([path], options)


def lint_findings(path: Path) -> list[Finding]:
    """What `fastapi-rulebook lint` reports on `path` (every code), run in this process."""
    return [Finding(f.line, f.col, f.code) for f in lint([path], Options()).findings]


def ruff_findings(path: Path, *options: str) -> list[tuple[int, str]]:
    """(line, code) of every diagnostic `ruff check` reports on `path`, in file order."""
    found = []
    for diagnostic in ruff_diagnostics(path, *options):
        location = diagnostic["location"]
        assert isinstance(location, dict)
        found.append((int(location["row"]), str(diagnostic["code"])))
    return sorted(found)


def ruff_codes(path: Path, *options: str) -> Counter[str]:
    """How many times each ruff rule code is reported on `path`."""
    return Counter(str(d["code"]) for d in ruff_diagnostics(path, *options))


def ruff_codes_by_line(path: Path, *options: str) -> dict[int, set[str]]:
    """Ruff rule codes reported on `path`, by line number."""
    lines: dict[int, set[str]] = {}
    for diagnostic in ruff_diagnostics(path, *options):
        location = diagnostic["location"]
        assert isinstance(location, dict)
        lines.setdefault(int(location["row"]), set()).add(str(diagnostic["code"]))
    return lines


def ruff_format_check(path: Path) -> bool:
    """True when `ruff format` (this project's configuration) would leave `path` unchanged."""
    result = subprocess.run(
        [find_ruff_bin(), "format", "--no-cache", "--check", "--config", str(PYPROJECT), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


# The repo-wide `mypy` run's own cache: same configuration, so the checked dependencies
# (FastAPI, Pydantic, SQLAlchemy) are read from it instead of checked again, which takes
# seconds a run. mypy keeps it in SQLite (its default), whose locking lets runs share it.
MYPY_CACHE = ROOT / ".mypy_cache"


def mypy_errors(*paths: Path, cwd: Path = ROOT) -> list[dict[str, object]]:
    """The errors `mypy` (this project's strict configuration) reports on `paths`, as JSON.

    `app` is read from `src/` (MYPYPATH), as in the repo-wide run, not as an installed package.
    """
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mypy"),
            *("--config-file", str(PYPROJECT), "--cache-dir", str(MYPY_CACHE)),
            *("--output", "json", *map(str, paths)),
        ],
        cwd=cwd,
        env=os.environ | {"MYPYPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr or result.stdout  # 2: crash or usage
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def mypy_codes(path: Path) -> Counter[str]:
    """How many times each mypy error code is reported on `path`."""
    return Counter(str(error["code"]) for error in mypy_errors(path))


def lines_containing(path: Path, needle: str) -> list[int]:
    """1-based numbers of the lines of `path` that contain `needle`: where a finding belongs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line]


def line_of(path: Path, needle: str) -> int:
    """The number of the one line of `path` that contains `needle`."""
    (line,) = lines_containing(path, needle)
    return line
