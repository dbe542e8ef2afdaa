"""The versions the site shows, read from ``uv.lock``: never typed by hand."""

import ast
import csv
import inspect
import platform
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import Distribution
from importlib.metadata import distributions as installed_distributions
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

FIRST_PARTY = frozenset({"app", "rulebook", "snippets", "tests"})


def normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def locked_versions(lock: Path) -> dict[str, str]:
    """Package name (normalised) -> version, for every package in the lock file."""
    return dict(_locked_versions(lock, lock.stat().st_mtime_ns))


@cache
def _locked_versions(lock: Path, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    # Cached per modification time: every rule card of a build reads the same lock.
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    packages = data.get("package", [])
    return tuple((normalise(p["name"]), p["version"]) for p in packages if "version" in p)


def imported_modules(source: str) -> set[str]:
    """Top-level names of the modules a Python file imports (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@cache
def _imports_of(file: Path, mtime_ns: int) -> frozenset[str]:
    # Cached per modification time: pages share files (the app, the tests' helpers).
    return frozenset(imported_modules(file.read_text(encoding="utf-8")))


def modules_to_distributions(dists: Iterable[Distribution]) -> Mapping[str, list[str]]:
    """Top-level module -> the names of the distributions installing it: what
    `importlib.metadata.packages_distributions()` answers, read from each RECORD's text. That
    function checks that every file each distribution lists exists: 0.6-0.9 s of every site
    build here, for the same answer wherever no listed file was deleted."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for dist in dists:
        for module in _top_level_modules(dist):
            found[module].append(dist.metadata["Name"])
    return found


def _top_level_modules(dist: Distribution) -> set[str]:
    declared = (dist.read_text("top_level.txt") or "").split()
    if declared:
        return set(declared)
    record = dist.read_text("RECORD")
    if record is None:  # no RECORD (a legacy install): the standard library's list of files
        paths = [str(path) for path in dist.files or []]
    else:
        paths = [row[0] for row in csv.reader(record.splitlines()) if row]
    # As the standard library infers them: a folder's name, or a module file's name.
    names = {
        path.partition("/")[0] if "/" in path else inspect.getmodulename(path) or path
        for path in paths
    }
    return {name for name in names if "." not in name}


@cache
def _distributions_by_module() -> Mapping[str, list[str]]:
    return modules_to_distributions(installed_distributions())


def distributions(modules: set[str]) -> set[str]:
    """Distributions (normalised names) providing the given third-party modules."""
    found: set[str] = set()
    for module in modules - FIRST_PARTY - set(sys.stdlib_module_names):
        found.update(normalise(d) for d in _distributions_by_module().get(module, []))
    return found


def tested_with(lock: Path, files: list[Path]) -> list[tuple[str, str]]:
    """(name, version) of Python and of each locked distribution the files import, sorted."""
    locked = locked_versions(lock)
    modules: set[str] = set()
    for file in files:
        if file.suffix == ".py":  # pages also show TOML, shell and config files
            modules |= _imports_of(file, file.stat().st_mtime_ns)
    names = sorted(d for d in distributions(modules) if d in locked)
    return [("python", platform.python_version()), *((name, locked[name]) for name in names)]


def pinned_requirements(project: dict[str, Any]) -> list[tuple[str, Requirement]]:
    """(group, requirement) for every dependency pyproject.toml declares, in file order."""
    groups = [("`[project]`", project["project"].get("dependencies", []))]
    groups += [
        (f"extra `{n}`", d) for n, d in project["project"].get("optional-dependencies", {}).items()
    ]
    groups += [(f"group `{n}`", d) for n, d in project.get("dependency-groups", {}).items()]
    return [(group, Requirement(spec)) for group, specs in groups for spec in specs]


def stack_table(root: Path) -> list[str]:
    """Markdown table: each declared dependency, the range it is pinned to, the locked version."""
    locked = locked_versions(root / "uv.lock")
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    python = project["project"]["requires-python"]
    rows = [
        "| Package | Pinned to | Tested with (uv.lock) | Declared in |",
        "| --- | --- | --- | --- |",
        f"| Python | `{python}` | {platform.python_version()} | `pyproject.toml` |",
    ]
    for group, requirement in pinned_requirements(project):
        name = normalise(requirement.name)
        version = locked.get(name)
        if version is None:
            raise ValueError(f"uv.lock has no version of `{requirement.name}`: run `uv lock`")
        pins = sorted(map(str, requirement.specifier), key=lambda pin: pin.startswith("<"))
        rows.append(f"| {name} | `{','.join(pins) or 'any'}` | {version} | {group} |")
    return [*rows, ""]
