"""Proofs for conventions/tool-config: the page's TOML is this project's whole ruff and mypy
configuration and meets the rule set's minimum; `strict = true` already disallows bare generics;
ruff format and Black, run over the same files, undo each other for ever."""

import difflib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

from tests.evidence import Evidence
from tests.lint import PYPROJECT, ROOT, mypy_errors, mypy_sample

REQUIRED_RULES = {"E", "F", "I", "UP", "B", "ASYNC", "SIM", "TID", "RUF"}
CONFIG = ROOT / "src/app/core/config.py"
AVOID = ROOT / "snippets/conventions/tool_config/avoid.sh"
# Checked by the suite's one mypy run (tests/lint.py), with this project's configuration.
BARE_GENERICS = mypy_sample(
    "bare_generics.py",
    "def tally(words: list) -> dict:\n    return {word: len(word) for word in words}\n",
)
UNANNOTATED = mypy_sample(
    "unannotated.py",
    "def total(prices, tax: float):\n    return sum(prices) * (1 + tax)\n\n\n"
    "def banner(title: str):\n    return title.upper()\n",
)
REFORMATTED_RE = re.compile(r"(?:(\d+) files? reformatted)?(?:, )?\d+ files? left unchanged")


def region(text: str, name: str) -> str:
    match = re.search(
        rf"^# --8<-- \[start:{name}\]\n(?P<body>.*?)^# --8<-- \[end:{name}\]$",
        text,
        re.DOTALL | re.MULTILINE,
    )
    assert match is not None, name
    return match["body"]


def test_page_shows_the_whole_ruff_and_mypy_configuration() -> None:
    """Parses the `tooling` region the Do shows as TOML and compares it with the parsed
    `pyproject.toml`: it equals `{"tool": {"ruff": ..., "mypy": ...}}` with both tables
    complete, so the page shows the configuration in force, all of it."""
    text = PYPROJECT.read_text(encoding="utf-8")
    shown = tomllib.loads(region(text, "tooling"))
    project = tomllib.loads(text)

    # Everything under [tool.ruff] and [tool.mypy] is in the region, and nothing else is.
    assert shown == {"tool": {"ruff": project["tool"]["ruff"], "mypy": project["tool"]["mypy"]}}


def test_configuration_meets_the_rule_set() -> None:
    """`target-version = "py314"`, `line-length = 100`, the nine required rule families,
    `strict = true`, the `pydantic.mypy` plugin, and no `[tool.black]`."""
    tool = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]
    assert tool["ruff"]["target-version"] == "py314"
    assert tool["ruff"]["line-length"] == 100
    assert set(tool["ruff"]["lint"]["select"]) >= REQUIRED_RULES
    assert tool["mypy"]["strict"] is True
    assert "pydantic.mypy" in tool["mypy"]["plugins"]
    assert "black" not in tool  # one formatter: no [tool.black]


@pytest.mark.slow
def test_strict_already_disallows_bare_generics() -> None:
    """Mypy with this configuration on `def tally(words: list) -> dict`: two `type-arg`
    errors, `Missing type arguments for generic type "list"` and the same for `"dict"`, with no
    `disallow_any_generics` line in the configuration."""
    mypy_config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    assert "disallow_any_generics" not in mypy_config  # `strict` alone turns it on
    errors = mypy_errors(BARE_GENERICS)
    assert {(e["code"], e["message"]) for e in errors} == {
        ("type-arg", 'Missing type arguments for generic type "list"'),
        ("type-arg", 'Missing type arguments for generic type "dict"'),
    }


@pytest.mark.slow
def test_strict_requires_every_parameter_and_return_annotated() -> None:
    """Mypy with this configuration on a function with an unannotated parameter and one with
    no return annotation: a `no-untyped-def` error on each (lines 1 and 5), one of them `missing
    a return type annotation`."""
    errors = mypy_errors(UNANNOTATED)
    assert {(e["line"], e["code"]) for e in errors} == {
        (1, "no-untyped-def"),
        (5, "no-untyped-def"),
    }
    assert any("missing a return type annotation" in str(e["message"]) for e in errors)


def ruff_format(path: Path, *, check: bool) -> int:
    command = [find_ruff_bin(), "format", "--no-cache", "--config", str(PYPROJECT)]
    result = subprocess.run(
        [*command, *(["--check"] if check else []), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode


def black(path: Path, *, check: bool) -> int:
    # Run from a directory with no pyproject.toml above it: Black's own defaults, as in a project
    # that never configured it.
    result = subprocess.run(
        [sys.executable, "-m", "black", "--quiet", *(["--check"] if check else []), str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode


def run_avoid(project: Path) -> list[int]:
    """Run the Avoid's script in `project` with this project's tools (`uv run` resolves them in
    this repository's environment, without syncing it): how many files each of its two
    formatters rewrote, in order."""
    result = subprocess.run(
        ["bash", str(AVOID)],
        cwd=project,
        env=os.environ | {"UV_PROJECT": str(ROOT), "UV_NO_SYNC": "1", "UV_OFFLINE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # ruff prints its summary on stdout, Black on stderr: one summary line each.
    summaries = [
        REFORMATTED_RE.fullmatch(line.rstrip("."))
        for line in (result.stdout + result.stderr).splitlines()
        if "left unchanged" in line
    ]
    assert len(summaries) == 2, result.stdout + result.stderr
    return [int(match[1] or 0) for match in summaries if match is not None]


@pytest.mark.slow
def test_ruff_format_and_black_undo_each_other(tmp_path: Path, evidence: Evidence) -> None:
    """The Avoid's script itself, as written, in a scratch project holding a copy of `src/app`
    (ruff-formatted, as CI requires) and this `pyproject.toml`: ruff finds nothing to change and
    Black rewrites files, after which `ruff format --check` fails. Run again, ruff rewrites
    files back and Black rewrites the same number of them again, and `ruff format --check`
    still fails: no fixed point."""
    # Black comes with pytest-examples here; nothing in this project runs it.
    assert importlib.util.find_spec("black") is not None
    assert [line for line in AVOID.read_text().splitlines() if not line.startswith("#")] == [
        "uv run ruff format .",
        "uv run black .",
    ]
    # A project of the reference app (ruff-formatted, as CI requires) and this configuration.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src/app", project / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PYPROJECT, project / "pyproject.toml")
    assert ruff_format(project, check=True) == 0

    # The Avoid, run as written: ruff finds nothing to do, Black rewrites files...
    ruff_first, black_first = run_avoid(project)
    assert ruff_first == 0
    assert black_first > 0
    # How many files depends on the reference app: the stable facts are what the proof checks.
    evidence.add(
        f"ruff format: {ruff_first} files reformatted\nblack: files reformatted (more than 0)",
        "The Avoid's script, first run",
    )
    # ...which `ruff format --check` (CI) then rejects. Run again, ruff rewrites them back and
    # Black rewrites the same files again: no fixed point, however often it runs.
    assert ruff_format(project, check=True) == 1
    ruff_again, black_again = run_avoid(project)
    assert 0 < ruff_again == black_again <= black_first
    assert ruff_format(project, check=True) == 1
    evidence.add(
        "ruff format --check, after the first run: exit code 1\n"
        "ruff format: files reformatted back (more than 0)\n"
        f"black: {'as many' if ruff_again == black_again else 'a different number of'} files "
        "reformatted again\nruff format --check: exit code 1",
        "The Avoid's script, second run",
    )

    # One file, byte for byte: Black wraps a line its trailing comment takes past 88
    # characters in parentheses, ruff joins it back.
    settings = tmp_path / "config.py"
    original = CONFIG.read_text(encoding="utf-8")
    settings.write_text(original, encoding="utf-8")
    black(settings, check=False)
    by_black = settings.read_text(encoding="utf-8")
    ruff_format(settings, check=False)
    assert by_black != original
    assert settings.read_text(encoding="utf-8") == original
    assert "    jwt_secret: (\n        SecretStr  # masked" in by_black
    evidence.add(
        "\n".join(
            difflib.unified_diff(
                original.splitlines(),
                by_black.splitlines(),
                "src/app/core/config.py",
                "src/app/core/config.py, by Black",
                lineterm="",
            )
        ),
        "Black on src/app/core/config.py (ruff format restores it byte for byte)",
    )
