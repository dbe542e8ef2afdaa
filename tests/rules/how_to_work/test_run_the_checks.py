"""Proofs for how-to-work/run-the-checks: CI runs ruff check, ruff format --check, mypy and
pytest, in that order, the same four the Do runs; a change can pass pytest and fail each of the
other three, and `mypy src` misses type errors in the tests that `mypy` finds."""

import json
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

from tests.evidence import Evidence
from tests.pytest_project import child_pytest_env

ROOT = Path(__file__).resolve().parents[3]
SNIPPETS = ROOT / "snippets" / "how_to_work" / "run_the_checks"
PYPROJECT = ROOT / "pyproject.toml"

# A change as it might be handed over: the tests pass.
PRICING = """import os
def total(prices: list[int]) -> int:
    return sum( prices )
"""
TEST_PRICING = """from pricing import total


def test_total() -> None:
    prices: list[int] = [1, 2]
    result: str = total(prices)  # wrong annotation: nothing checks it at run time
    assert result == 3
"""


def uv_run_commands(script: Path) -> list[str]:
    """The `uv run ...` commands of a shell script, without `uv run` and comments."""
    commands = []
    for line in script.read_text().splitlines():
        words = shlex.split(line, comments=True)
        if words[:2] == ["uv", "run"]:
            commands.append(" ".join(words[2:]))
    return commands


def test_ci_runs_the_checks_the_do_runs() -> None:
    """The `uv run ...` lines of `.ci/run`: its checks are `ruff check`, `ruff format --check`,
    `mypy` and `pytest`, in that order. The Do's commands are the same four, with `--fix` and
    without `--check`; the Avoid's is `pytest` alone; and `pyproject.toml`'s `[tool.mypy] files`
    includes `src`, `snippets` and `tests`."""
    ci = uv_run_commands(ROOT / ".ci" / "run")
    local = uv_run_commands(SNIPPETS / "do.sh")

    checks = [c for c in ci if c.split()[0] in {"ruff", "mypy", "pytest"}]
    assert checks == ["ruff check", "ruff format --check", "mypy", "pytest"]
    # Locally the same four, with ruff fixing and formatting instead of only checking.
    assert local == ["ruff check --fix", "ruff format", "mypy", "pytest"]
    assert uv_run_commands(SNIPPETS / "avoid.sh") == ["pytest"]
    # `mypy` with no paths checks the files the configuration names: more than `mypy src`.
    configured = tomllib.loads(PYPROJECT.read_text())["tool"]["mypy"]["files"]
    assert {"src", "snippets", "tests"} <= set(configured)


def run(
    *command: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_pytest_alone_misses_what_the_other_checks_catch(
    tmp_path: Path, evidence: Evidence
) -> None:
    """A small change in a scratch folder (a module with an unused import and badly spaced code,
    a test with a wrong annotation) passes `pytest` with the project's configuration, while
    `ruff check`, `ruff format --check` and `mypy` over `src` and `tests` each report it, and
    `mypy src` reports nothing. After `ruff check --fix` and `ruff format`, both ruff checks pass
    and `mypy` still reports the same two errors, the ones left to fix by hand."""
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    module = tmp_path / "src" / "pricing.py"
    module.write_text(PRICING)
    (tmp_path / "tests" / "test_pricing.py").write_text(TEST_PRICING)
    (tmp_path / "pytest.ini").write_text("[pytest]\npythonpath = src\n")
    ruff = (find_ruff_bin(), "--config", str(PYPROJECT))
    mypy = (sys.executable, "-m", "mypy", "--config-file", str(PYPROJECT))
    mypy_cache = ("--cache-dir", str(tmp_path / ".mypy_cache"))

    def check(name: str) -> subprocess.CompletedProcess[str]:
        match name:
            case "pytest":
                return run(  # with no plugin: a scratch project's pytest needs none
                    *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
                    cwd=tmp_path,
                    env=child_pytest_env(),
                )
            case "ruff check":
                return run(
                    *(ruff[0], "check", "--no-cache", "--output-format", "json", *ruff[1:]),
                    *("src", "tests"),
                    cwd=tmp_path,
                )
            case "ruff format --check":
                return run(ruff[0], "format", "--no-cache", "--check", *ruff[1:], ".", cwd=tmp_path)
            case "mypy src":
                return run(*mypy, *mypy_cache, "--output", "json", "src", cwd=tmp_path)
            case _:  # "mypy": the configured files, here src and tests
                return run(*mypy, *mypy_cache, "--output", "json", "src", "tests", cwd=tmp_path)

    def ruff_found(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, str]]:
        """(file, line, code, message) of each ruff finding, from its JSON output."""
        found = []
        for d in json.loads(result.stdout):
            file = Path(d["filename"]).relative_to(tmp_path).as_posix()
            found.append((file, d["location"]["row"], d["code"], d["message"]))
        return found

    def mypy_found(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, str]]:
        """(file, line, code, message) of each mypy error, from its JSON output."""
        lines = result.stdout.splitlines()
        errors = [json.loads(line) for line in lines if line.startswith("{")]
        return [(e["file"], e["line"], e["code"], e["message"]) for e in errors]

    wrong_annotation = [  # the annotation, and the comparison it makes impossible
        (
            "tests/test_pricing.py",
            6,
            "assignment",
            'Incompatible types in assignment (expression has type "int", variable has type "str")',
        ),
        (
            "tests/test_pricing.py",
            7,
            "comparison-overlap",
            'Non-overlapping equality check (left operand type: "str", right operand type: '
            '"Literal[3]")',
        ),
    ]
    tests = check("pytest")
    assert tests.returncode == 0  # the Avoid stops here: "done"
    evidence.add(
        f"exit code {tests.returncode}\n{tests.stdout.strip().splitlines()[-1]}",
        "pytest: the Avoid's only check",
    )

    def found(lines: list[tuple[str, int, str, str]]) -> str:
        return "\n".join(f"{file}:{line}: {code} {message}" for file, line, code, message in lines)

    ruff_check = check("ruff check")
    assert ruff_check.returncode == 1
    assert ruff_found(ruff_check) == [
        ("src/pricing.py", 1, "I001", "Import block is un-sorted or un-formatted"),
        ("src/pricing.py", 1, "F401", "`os` imported but unused"),
    ]
    evidence.add(
        f"exit code {ruff_check.returncode}\n{found(ruff_found(ruff_check))}", "ruff check"
    )
    ruff_format_check = check("ruff format --check")
    assert ruff_format_check.returncode == 1
    evidence.add(
        f"exit code {ruff_format_check.returncode}\n{ruff_format_check.stdout.strip()}",
        "ruff format --check",
    )
    assert ruff_format_check.stdout.splitlines() == [
        "Would reformat: src/pricing.py",
        "1 file would be reformatted, 1 file already formatted",
    ]
    mypy_src = check("mypy src")  # the rule set's `mypy src` sees no error...
    assert (mypy_src.returncode, mypy_found(mypy_src)) == (0, [])
    mypy_all = check("mypy")  # ...`mypy` over the tests finds it, and only it
    assert (mypy_all.returncode, mypy_found(mypy_all)) == (1, wrong_annotation)
    evidence.add(f"exit code {mypy_src.returncode}\n(no errors)", "mypy src: the application only")
    evidence.add(
        f"exit code {mypy_all.returncode}\n{found(mypy_found(mypy_all))}",
        "mypy: the configured files, src and tests",
    )

    # The Do's first two commands fix what they can...
    run(ruff[0], "check", "--no-cache", "--fix", *ruff[1:], "src", "tests", cwd=tmp_path)
    run(ruff[0], "format", "--no-cache", *ruff[1:], ".", cwd=tmp_path)
    assert check("ruff check").returncode == 0
    assert check("ruff format --check").returncode == 0
    assert module.read_text() == "def total(prices: list[int]) -> int:\n    return sum(prices)\n"
    # ...and what is left is a real error to fix by hand before the change is done.
    mypy_after = check("mypy")
    assert (mypy_after.returncode, mypy_found(mypy_after)) == (1, wrong_annotation)
