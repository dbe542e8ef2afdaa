"""Ruff findings on one file, by rule code: with the project's configuration, or with extra
rules selected to show what the project's selection misses."""

import json
import subprocess
from collections import Counter
from pathlib import Path

from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

ROOT = Path(__file__).resolve().parents[3]


def ruff_findings(path: Path, *options: str) -> list[tuple[int, str]]:
    """(line, code) of every finding `ruff check` reports on `path`, in file order.

    Run from the repository root, so pyproject.toml's `[tool.ruff]` applies; a file passed by
    name is checked even where `extend-exclude` skips it in a repo-wide run.
    """
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", "--output-format", "json", *options, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 2 is a ruff failure, not findings
    found = [(int(d["location"]["row"]), str(d["code"])) for d in json.loads(result.stdout)]
    return sorted(found)


def ruff_codes(path: Path, *options: str) -> Counter[str]:
    return Counter(code for _, code in ruff_findings(path, *options))
