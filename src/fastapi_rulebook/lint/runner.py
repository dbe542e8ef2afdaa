"""`fastapi-rulebook lint`: which files, which codes, `# noqa`, and the output formats."""

import json
import multiprocessing
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import fastapi_rulebook
from fastapi_rulebook.lint.checker import check_source
from fastapi_rulebook.lint.codes import CODES

FORMATS = ("text", "json", "sarif", "github")
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", "build", "dist", ".tox"}
# A bare noqa comment silences every code on its line; `noqa: RB101, RB305` only those.
NOQA_RE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)


class LintError(Exception):
    """A mistake in how lint was asked to run: an unknown code, a bad configuration."""


@dataclass(frozen=True, order=True)
class Located:
    path: str
    line: int
    col: int
    code: str

    @property
    def message(self) -> str:
        return CODES[self.code].message

    @property
    def url(self) -> str:
        return CODES[self.code].url


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ("RB",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # globs relative to `root`, the configuration's folder
    root: Path = Path()

    def wants(self, code: str) -> bool:
        return code.startswith(self.select) and not code.startswith(self.ignore or ("\0",))


@dataclass
class Result:
    findings: list[Located]
    parse_errors: list[str]
    files: int
    lines: int


def _known(prefixes: Iterable[str], where: str) -> tuple[str, ...]:
    prefixes = tuple(p.strip().upper() for p in prefixes if p.strip())
    for prefix in prefixes:
        if not any(code.startswith(prefix) for code in CODES):
            raise LintError(f"{where}: `{prefix}` selects no code (codes are RB101 ... RB910)")
    return prefixes


def read_config(start: Path) -> tuple[dict[str, object], Path | None]:
    """`[tool.fastapi-rulebook]` of the nearest pyproject.toml at or above `start`."""
    folder = start.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise LintError(f"{pyproject}: invalid TOML: {error}") from None
            section = data.get("tool", {}).get("fastapi-rulebook", {})
            if not isinstance(section, dict):
                raise LintError(f"{pyproject}: [tool.fastapi-rulebook] must be a table")
            return section, pyproject
    return {}, None


def options_from(
    config: dict[str, object],
    source: Path | None,
    select: list[str] | None,
    ignore: list[str] | None,
) -> Options:
    """The options: the command line's `--select`/`--ignore` over the configuration's."""
    where = f"{source} [tool.fastapi-rulebook]"
    values: dict[str, tuple[str, ...]] = {}
    for key in ("select", "ignore", "exclude"):
        value = config.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LintError(f"{where}: `{key}` must be a list of strings")
        values[key] = tuple(value)
    unknown = set(config) - set(values)
    if unknown:
        raise LintError(
            f"{where}: unknown key `{sorted(unknown)[0]}` (allowed: select, ignore, exclude)"
        )
    chosen_select = _known(select or values["select"], "--select" if select else where)
    chosen_ignore = _known(ignore or values["ignore"], "--ignore" if ignore else where)
    root = source.parent if source is not None else Path()
    return Options(chosen_select or ("RB",), chosen_ignore, values["exclude"], root)


def _excluded(file: Path, options: Options) -> bool:
    """A file an `exclude` glob matches, from the configuration's folder (`**` for any depth)."""
    if not options.exclude:  # resolving every path costs a large tree a second
        return False
    try:
        relative = file.resolve().relative_to(options.root.resolve())
    except ValueError:  # outside the configured project
        return False
    return any(relative.full_match(glob) for glob in options.exclude)


def python_files(paths: Iterable[Path], options: Options) -> Iterator[Path]:
    """Every `.py` file named or under a named folder, in order, skipping virtualenvs and the
    configuration's `exclude` globs."""
    for path in paths:
        if path.is_file():
            files = [path]
        else:
            files = [
                file
                for file in sorted(path.rglob("*.py"))
                if not SKIPPED_DIRS & set(file.relative_to(path).parts[:-1])
            ]
        yield from (file for file in files if not _excluded(file, options))


# Folders of code that is not the app: tests, and scripts run by hand or by CI.
NOT_APP_DIRS = {"tests", "test", "scripts", "bin", "load_tests", "benchmarks", "docs"}


def is_test_file(path: Path) -> bool:
    """Tests and scripts, which may read the environment and create tables."""
    in_folder = bool(NOT_APP_DIRS & set(path.parts[:-1]))
    return in_folder or path.name.startswith("test_") or path.name == "conftest.py"


DOWN_REVISION_RE = re.compile(r"^down_revision\b", re.MULTILINE)


def is_migration(path: Path, source: str) -> bool:
    """An Alembic revision: left alone, since an applied migration is never edited."""
    return path.parent.name == "versions" and DOWN_REVISION_RE.search(source) is not None


def _silenced(line: str, code: str) -> bool:
    match = NOQA_RE.search(line)
    if match is None:
        return False
    codes = match["codes"]
    return codes is None or code in re.split(r"[,\s]+", codes.upper())


@dataclass
class _Checked:
    findings: list[Located]
    errors: list[str]
    lines: int


def _check_files(files: list[Path], options: Options) -> _Checked:
    """Read, parse and check each file; a file that cannot be read or parsed is an error, and
    the others are still checked."""
    checked = _Checked([], [], 0)
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            checked.errors.append(f"{path}: cannot read: {error}")
            continue
        if is_migration(path, source):
            continue
        text_lines = source.splitlines()
        checked.lines += len(text_lines)
        try:
            found = check_source(source, str(path), test_file=is_test_file(path))
        except SyntaxError as error:
            checked.errors.append(
                f"{path}:{error.lineno or 1}:{error.offset or 1}: does not parse: {error.msg}"
            )
            continue
        for finding in found:
            line = text_lines[finding.line - 1] if finding.line <= len(text_lines) else ""
            if options.wants(finding.code) and not _silenced(line, finding.code):
                checked.findings.append(
                    Located(path.as_posix(), finding.line, finding.col, finding.code)
                )
    return checked


# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 200


def _worker_context() -> multiprocessing.context.BaseContext:
    """Fork on Linux: Python 3.14's default there, forkserver, starts each worker by importing
    the whole CLI again, which costs more than a mid-sized tree's checks. The checker holds no
    threads or locks when it forks."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def lint(paths: Iterable[Path], options: Options, jobs: int = 1) -> Result:
    """Check every file; with `jobs` > 1 and a large tree, in that many processes (the checks
    are pure Python, so threads would share one core)."""
    files = list(python_files(paths, options))
    if jobs > 1 and len(files) >= PARALLEL_FROM:
        # Contiguous chunks, a few per process so one slow chunk does not hold the rest up;
        # `map` returns them in order, so errors stay in file order as in one process.
        size = -(-len(files) // (jobs * 4))
        chunks = [files[start : start + size] for start in range(0, len(files), size)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context()) as pool:
            parts = list(pool.map(_check_files, chunks, [options] * len(chunks)))
    else:
        parts = [_check_files(files, options)]
    findings = [finding for part in parts for finding in part.findings]
    errors = [error for part in parts for error in part.errors]
    return Result(sorted(findings), errors, len(files), sum(part.lines for part in parts))


def render(result: Result, output_format: str) -> str:
    findings = result.findings
    if output_format == "json":
        return json.dumps(
            [
                {
                    "code": f.code,
                    "message": f.message,
                    "url": f.url,
                    "filename": f.path,
                    "location": {"row": f.line, "column": f.col},
                }
                for f in findings
            ],
            indent=2,
        )
    if output_format == "github":
        return "\n".join(
            f"::error title=fastapi-rulebook ({f.code}),file={f.path},line={f.line},col={f.col}"
            f"::{f.code} {f.message} ({f.url})"
            for f in findings
        )
    if output_format == "sarif":
        return json.dumps(_sarif(findings), indent=2)
    lines = [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message} ({f.url})" for f in findings]
    if findings:
        lines.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}.")
    return "\n".join(lines)


def _sarif(findings: list[Located]) -> dict[str, object]:
    """SARIF 2.1.0, which GitHub code scanning reads."""
    codes = sorted({f.code for f in findings})
    rules = [
        {
            "id": code,
            "shortDescription": {"text": CODES[code].message},
            "helpUri": CODES[code].url,
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": "error",
            "message": {"text": f"{f.message} ({f.url})"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }
            ],
        }
        for f in findings
    ]
    driver = {
        "name": "fastapi-rulebook",
        "version": fastapi_rulebook.__version__,
        "informationUri": "https://fastapi-rulebook.github.io/fastapi-rulebook/",
        "rules": rules,
    }
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
