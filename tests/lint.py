"""Run ruff, mypy and `fastapi-rulebook lint` on a file, the way the rule pages' proofs need
them: by rule code.

Avoid snippets are skipped by the repo-wide runs on purpose; their tests call these instead.
ruff runs once per session and set of options over every snippet and `src/` file together (a
test asking about one of them reads that run); another file gets a run of its own. mypy runs
once per test run over the same files and the samples tests register (`mypy_sample`), in the
background from before the first test when a selected test reads it (`start_mypy_batch`); under
pytest-xdist the first worker to ask runs it and the others read its result.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType

from filelock import FileLock
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


def ruff_output(path: Path, *options: str) -> str:
    """`ruff check`'s findings on `path`, one `file:line:column: CODE message` line each, in
    the order of the file."""
    lines = []
    for d in ruff_diagnostics(path, *options):
        location = d["location"]
        assert isinstance(location, dict)
        row, column = int(location["row"]), int(location["column"])
        where = f"{d['filename']}:{row}:{column}"
        lines.append((row, column, f"{where}: {d['code']} {d['message']}"))
    return "\n".join(line for _, _, line in sorted(lines))


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
MYPY_SAMPLES: dict[str, str] = {}  # file name -> source, registered by `mypy_sample`


_mypy_folders: list[Path] = []  # the run's folder, once chosen
_own_folder: list[tempfile.TemporaryDirectory[str]] = []  # removed when this process exits


def share_mypy_batch(folder: Path) -> None:
    """Use `folder` for the mypy batch: the pytest-xdist controller hands one to every worker
    of a run (tests/conftest.py), so the first to ask runs mypy and the others read it."""
    assert not _mypy_folders, "the batch's folder is chosen once, before any test asks"
    _mypy_folders.append(folder)


def _mypy_folder() -> Path:
    """Where this test run's mypy batch keeps its samples and its result."""
    if not _mypy_folders:  # one process, or no controller: a folder of its own
        _own_folder.append(tempfile.TemporaryDirectory(prefix="rulebook-mypy-"))
        _mypy_folders.append(Path(_own_folder[0].name).resolve())
    return _mypy_folders[0]


# Samples live at one fixed place: mypy's cache records each module's path, and a module read
# again unchanged from another path is reported under the recorded one.
MYPY_SAMPLES_FOLDER = MYPY_CACHE / "rulebook-samples"


def mypy_sample(name: str, source: str) -> Path:
    """Register a module for the mypy batch (call it at import time, so every worker knows
    it before the batch runs); the path of the file the batch writes it to. Its name is
    prefixed, so it can shadow no real module."""
    assert name.endswith(".py") and "/" not in name, name
    name = f"rulebook_sample_{name}"
    assert MYPY_SAMPLES.setdefault(name, source) == source, f"{name} registered twice"
    return MYPY_SAMPLES_FOLDER / name


def _write_samples() -> list[Path]:
    MYPY_SAMPLES_FOLDER.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, source in sorted(MYPY_SAMPLES.items()):
        path = MYPY_SAMPLES_FOLDER / name
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            written = path.with_suffix(f".{os.getpid()}.tmp")  # whole or not at all
            written.write_text(source, encoding="utf-8")
            written.replace(path)
        paths.append(path)
    return paths


def _mypy_config() -> list[str]:
    """The project's `[tool.mypy]` as a mypy.ini, less the override that silences Avoid
    snippets (their tests assert what mypy reports on them) and the run's own file list. Every
    other option stays the project's, so the repo-wide run's cache serves: a module checked with
    other options is checked again, dependencies included."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    kept = {k: v for k, v in project.items() if k not in {"files", "exclude", "overrides"}}
    assert kept.keys() == {"strict", "plugins", "enable_error_code"}, kept  # written out below
    return [
        "[mypy]",
        f"strict = {kept['strict']}",
        f"plugins = {','.join(kept['plugins'])}",
        f"enable_error_code = {','.join(kept['enable_error_code'])}",
    ]


def _run_mypy(paths: list[Path], cwd: Path, config: Path | None = None) -> list[dict[str, object]]:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mypy"),
            *("--config-file", str(config or PYPROJECT), "--cache-dir", str(MYPY_CACHE)),
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


@cache
def _mypy_batch() -> dict[Path, list[dict[str, object]]]:
    """One mypy run over every batched file and registered sample, its errors by file."""
    folder = _mypy_folder()
    paths = sorted(_batched_files()) + [MYPY_SAMPLES_FOLDER / name for name in sorted(MYPY_SAMPLES)]
    result = folder / "errors.json"
    with FileLock(folder / "errors.lock"):
        if not result.exists():  # the first process to ask runs it; a failed run writes nothing
            _write_samples()
            config = folder / "mypy.ini"
            config.write_text("\n".join(_mypy_config()) + "\n", encoding="utf-8")
            errors = _run_mypy(paths, ROOT, config)
            result.write_text(json.dumps({"paths": list(map(str, paths)), "errors": errors}))
        ran = json.loads(result.read_text())
    assert ran["paths"] == list(map(str, paths)), "every worker must ask about the same files"
    by_file: dict[Path, list[dict[str, object]]] = {path: [] for path in paths}
    for error in ran["errors"]:
        by_file[(ROOT / str(error["file"])).resolve()].append(error)
    return by_file


def mypy_errors(*paths: Path, cwd: Path = ROOT) -> list[dict[str, object]]:
    """The errors `mypy` (this project's strict configuration) reports on `paths`, as JSON.

    `app` is read from `src/` (MYPYPATH), as in the repo-wide run, not as an installed package.
    Avoid snippets are checked too: the override that silences them in the repo-wide run is
    left out. Files of the batch (snippets, `src/`, registered samples) are read from its one
    run; other files, or another working directory, get a run of their own.
    """
    resolved = [path.resolve() for path in paths]
    batch = set(_batched_files()) | {MYPY_SAMPLES_FOLDER / name for name in MYPY_SAMPLES}
    if cwd == ROOT and all(path in batch for path in resolved):
        errors = _mypy_batch()
        return [error for path in resolved for error in errors[path]]
    return _run_mypy(list(paths), cwd)


def mypy_codes(path: Path) -> Counter[str]:
    """How many times each mypy error code is reported on `path`."""
    return Counter(str(error["code"]) for error in mypy_errors(path))


def reads_mypy_batch(module: ModuleType) -> bool:
    """Whether a test module holds `mypy_errors` or `mypy_codes`, or a helper whose own module
    calls them (tests/rules/async_sqlalchemy/checks.py's `mypy_findings`)."""
    helpers = (mypy_errors, mypy_codes)
    for value in vars(module).values():
        module_globals = getattr(value, "__globals__", {})
        # By identity: `in` would call `==`, which a module's SQLAlchemy column overloads.
        if any(value is h or module_globals.get(h.__name__) is h for h in helpers):
            return True
    return False


def start_mypy_batch(items: Iterable[object]) -> threading.Thread | None:
    """Start the mypy batch in a thread when a selected test's module reads it: cold, it takes
    seconds, which a worker would otherwise spend waiting for the one that runs it. A test
    module this misses still gets the batch: its first test runs it."""
    modules = {getattr(item, "module", None) for item in items}  # test functions' modules
    if not any(reads_mypy_batch(m) for m in modules if isinstance(m, ModuleType)):
        return None
    _mypy_folder()  # chosen here, in the main thread, before the thread asks for it
    thread = threading.Thread(target=_mypy_batch_in_background, name="mypy batch", daemon=True)
    thread.start()
    return thread


def _mypy_batch_in_background() -> None:
    try:
        _mypy_batch()
    except Exception:  # noted nowhere: the first test to ask runs it again and fails there
        return


def lines_containing(path: Path, needle: str) -> list[int]:
    """1-based numbers of the lines of `path` that contain `needle`: where a finding belongs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line]


def line_of(path: Path, needle: str) -> int:
    """The number of the one line of `path` that contains `needle`."""
    (line,) = lines_containing(path, needle)
    return line
