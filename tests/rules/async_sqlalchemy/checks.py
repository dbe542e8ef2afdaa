"""What ruff and mypy report on an Avoid snippet, which the repo-wide runs skip on purpose."""

from dataclasses import dataclass
from pathlib import Path

from tests.lint import mypy_errors, ruff_diagnostics

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    code: str
    message: str


def ruff_findings(path: Path) -> list[Finding]:
    """ruff with the project's configuration, as (line, code, message) findings."""
    return sorted(
        Finding(int(location["row"]), str(d["code"]), str(d["message"]))
        for d in ruff_diagnostics(path)
        if isinstance(location := d["location"], dict)
    )


def mypy_findings(path: Path) -> list[Finding]:
    """mypy --strict on one file, without the project's `ignore_errors` for Avoid snippets: read
    from the suite's one mypy run (tests/lint.py), whose configuration is the project's less
    that override."""
    return sorted(
        Finding(int(str(error["line"])), str(error["code"]), str(error["message"]))
        for error in mypy_errors(path)
    )
