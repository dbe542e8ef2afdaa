"""What ruff and mypy report on an Avoid snippet, which the repo-wide runs skip on purpose."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import mypy.api

from tests.lint import ruff_diagnostics

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
    """mypy --strict on one file, without the project's `ignore_errors` for Avoid snippets."""
    previous = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(ROOT / "src")  # the app's own (typed) source, not the install
    try:
        stdout, _, _ = mypy.api.run(
            [
                "--strict",
                "--config-file",
                os.devnull,
                "--cache-dir",  # a cache of its own: other options than the project's runs
                str(ROOT / ".mypy_cache" / "avoid-snippets"),
                "--output",
                "json",
                str(path.relative_to(ROOT)),
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
