"""What ruff and mypy report on an Avoid snippet, which the repo-wide runs skip on purpose."""

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import mypy.api

from tests.lint import MYPY_CACHE, PYPROJECT, ruff_diagnostics

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
    """mypy --strict on one file, without the project's `ignore_errors` for Avoid snippets.

    The configuration is the project's `[tool.mypy]` less its per-module overrides (the one that
    silences Avoid snippets): the options every dependency is checked with stay the project's,
    so the repo-wide run's cache serves, instead of checking FastAPI and SQLAlchemy again.
    """
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    previous = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(ROOT / "src")  # the app's own (typed) source, not the install
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = Path(folder) / "mypy.ini"
            plugins = ",".join(project["plugins"])
            config.write_text(f"[mypy]\nstrict = {project['strict']}\nplugins = {plugins}\n")
            stdout, _, _ = mypy.api.run(
                [
                    *("--config-file", str(config), "--cache-dir", str(MYPY_CACHE)),
                    *("--output", "json", str(path.relative_to(ROOT))),
                ]
            )
    finally:
        if previous is None:
            del os.environ["MYPYPATH"]
        else:
            os.environ["MYPYPATH"] = previous
    return sorted(
        Finding(item["line"], item["code"], item["message"])
        for item in map(json.loads, stdout.splitlines())
    )
