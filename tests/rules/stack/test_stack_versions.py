"""Proofs for stack/stack-versions: uv.lock holds every package the rules name inside the series
they name; pyproject.toml pins each to that series; floor-only pins would let it leave."""

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from rulebook.environments import ENVIRONMENT_VAR
from rulebook.versions import locked_versions, normalise, pinned_requirements
from tests.evidence import Evidence
from tests.lint import PYPROJECT, ROOT

# The series the rule set names for each package: the assertion of this file.
SERIES = {
    "fastapi": "0.139",
    "pydantic": "2.13",
    "pydantic-settings": "2.14",
    "sqlalchemy": "2.0",
    "asyncpg": "0.31",
    "psycopg": "3.2",
    "alembic": "1.18",
    "uvicorn": "0.50",
    "pwdlib": "0.3",
    "pyjwt": "2.13",
    "httpx": "0.28",
    "pytest": "8",
    "pytest-asyncio": "1.4",
    "ruff": "0.15",
    "mypy": "2.1",
}
# Floors inside a series, where the rules need a given patch release.
FLOORS = {
    "sqlalchemy": "2.0.51",
    "fastapi": "0.128.1",  # PEP 649 annotations it does not use (see stack/fastapi-cli)
}
UV_SERIES = "0.11"  # uv is not in uv.lock: its version is the machine's


def in_series(version: str, series: str) -> bool:
    wanted = tuple(int(part) for part in series.split("."))
    return Version(version).release[: len(wanted)] == wanted


def next_series(series: str) -> Version:
    *head, last = series.split(".")
    return Version(".".join([*head, str(int(last) + 1)]))


def series_violations(locked: dict[str, str]) -> list[str]:
    """Every way `locked` (package -> version) leaves the series or floors the rules name."""
    problems = [f"{name}: not in uv.lock" for name in SERIES if name not in locked]
    problems += [
        f"{name} {locked[name]} is not in the {series} series"
        for name, series in SERIES.items()
        if name in locked and not in_series(locked[name], series)
    ]
    problems += [
        f"{name} {locked[name]} is older than {floor}"
        for name, floor in FLOORS.items()
        if name in locked and Version(locked[name]) < Version(floor)
    ]
    return problems


@pytest.mark.skipif(
    ENVIRONMENT_VAR in os.environ,
    reason="checks the pinned environment; `rulebook versions` installs other releases on purpose",
)
def test_lock_stays_in_the_series_the_rules_name() -> None:
    """Reads `uv.lock` with `tomllib` and checks each package the rules name against its series:
    fastapi 0.139 (at least 0.128.1), pydantic 2.13, pydantic-settings 2.14, sqlalchemy 2.0 (at
    least 2.0.51), asyncpg 0.31, psycopg 3.2, alembic 1.18, uvicorn 0.50, pwdlib 0.3, pyjwt 2.13,
    httpx 0.28, pytest 8, pytest-asyncio 1.4, ruff 0.15 and mypy 2.1. The installed version of
    each is the locked one."""
    locked = locked_versions(ROOT / "uv.lock")
    assert series_violations(locked) == []
    # The environment the tests run in is the locked one.
    for name in SERIES:
        assert importlib.metadata.version(name) == locked[name], name


def test_the_check_fails_when_the_lock_leaves_a_series() -> None:
    """The same check on the lock's versions with four changes gets exactly four complaints:
    `pwdlib: not in uv.lock`, `fastapi 0.140.0 is not in the 0.139 series`, `pytest 9.0.1 is not
    in the 8 series` and `sqlalchemy 2.0.50 is older than 2.0.51`."""
    locked = locked_versions(ROOT / "uv.lock")
    moved = locked | {"fastapi": "0.140.0", "sqlalchemy": "2.0.50", "pytest": "9.0.1"}
    del moved["pwdlib"]

    assert series_violations(moved) == [
        "pwdlib: not in uv.lock",
        "fastapi 0.140.0 is not in the 0.139 series",
        "pytest 9.0.1 is not in the 8 series",
        "sqlalchemy 2.0.50 is older than 2.0.51",
    ]


def test_pyproject_pins_each_package_to_its_series() -> None:
    """Every pin in `pyproject.toml` admits the locked version and refuses the next series, even
    as a pre-release (`0.140`, `0.140.0`, `0.140rc1` for FastAPI; `2.1`, `2.1.0`, `2.1rc1` for
    SQLAlchemy; `9`, `9.0`, `9rc1` for pytest)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    pins = {normalise(r.name): r.specifier for _, r in pinned_requirements(project)}
    locked = locked_versions(ROOT / "uv.lock")
    for name, series in SERIES.items():
        pin = pins[name]
        assert pin.contains(locked[name]), (name, str(pin))
        # The next series is out, even as a pre-release: an upgrade cannot leave the series.
        upcoming = next_series(series)
        for candidate in (f"{upcoming}", f"{upcoming}.0", f"{upcoming}rc1"):
            assert not pin.contains(candidate, prereleases=True), (name, str(pin), candidate)


def test_floor_only_pins_let_an_upgrade_leave_the_series(evidence: Evidence) -> None:
    """Each of the Avoid's requirements admits the next series of its package: FastAPI 0.140,
    Pydantic 2.14, SQLAlchemy 2.1, uvicorn 0.51 and so on."""
    avoid = tomllib.loads(
        (ROOT / "snippets/stack/stack_versions/avoid.toml").read_text(encoding="utf-8")
    )
    loose = [Requirement(spec) for spec in avoid["project"]["dependencies"]]
    admitted: list[str] = []
    assert {normalise(r.name) for r in loose} <= set(SERIES)
    for requirement in loose:
        # `uv lock --upgrade` takes the newest version a pin admits: here, the next series.
        upcoming = str(next_series(SERIES[normalise(requirement.name)]))
        assert requirement.specifier.contains(upcoming), (requirement.name, upcoming)
        admitted.append(
            f"{requirement} admits {upcoming} (the series the rules name: "
            f"{SERIES[normalise(requirement.name)]})"
        )
    evidence.add("\n".join(admitted), "Each Avoid requirement against its next series")
    assert SpecifierSet("").contains("2.1.0")  # no pin at all admits anything


def test_uv_is_at_least_the_series_the_rules_name() -> None:
    """Runs the `uv` that runs the tests (`uv run` sets `UV` to its own path): `uv --version`
    reports 0.11 or newer. On this project's machines it prints `uv 0.13.9`, newer than the
    series the rule set names, hence "0.11 or later"."""
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own binary
    assert uv is not None, "uv is not on PATH"
    result = subprocess.run([uv, "--version"], capture_output=True, text=True, check=True)
    match = re.match(r"uv (\d+\.\d+\.\d+)", result.stdout)
    assert match is not None, result.stdout
    assert Version(match[1]) >= Version(UV_SERIES)


def test_alembic_runs_on_the_async_template() -> None:
    """Parses `alembic/env.py`: it imports from `sqlalchemy.ext.asyncio`, defines an `async def`,
    runs the migrations through `connection.run_sync(...)` and starts with `asyncio.run(...)`,
    the shape `alembic init -t async` generates."""
    # The shape `alembic init -t async` generates: an async engine, the synchronous migration
    # code inside `connection.run_sync(...)`, the whole started with `asyncio.run(...)`.
    tree = ast.parse((ROOT / "alembic/env.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    called = {
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    assert "sqlalchemy.ext.asyncio" in imported
    assert {"run_sync", "run"} <= called  # connection.run_sync(...), asyncio.run(...)
    assert any(isinstance(n, ast.AsyncFunctionDef) for n in ast.walk(tree))
