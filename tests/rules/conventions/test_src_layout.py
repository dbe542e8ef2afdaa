"""Proofs for conventions/src-layout: the tree on the page is the tree on disk, the layers import
downward only, services stay free of FastAPI; a flat layout lets the working directory shadow
the installed package."""

import ast
import inspect
import subprocess
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tests.evidence import Evidence
from tests.lint import ROOT

TREE = ROOT / "snippets/conventions/src_layout/tree.txt"
FLAT_TREE = ROOT / "snippets/conventions/src_layout/avoid.txt"
APP = ROOT / "src/app"

# What the listing's comments promise each named module defines.
DEFINES = {
    "app.main": {"create_app", "lifespan"},
    "app.core.config": {"Settings", "get_settings"},
    "app.core.security": {"hash_password", "verify_password", "create_access_token"},
    "app.db.base": {"Base"},
    "app.db.session": {"engine", "AsyncSessionLocal", "get_db"},
    "app.api.deps": {"SessionDep", "SettingsDep", "CurrentUser"},
}

# What each layer of `app` must not import (the layers, top to bottom: main, api, services,
# repositories, models, db, core; schemas sit beside them and know nothing of the database).
FORBIDDEN = {
    "core": {"db", "models", "schemas", "repositories", "services", "api", "main"},
    "db": {"models", "schemas", "repositories", "services", "api", "main"},
    "models": {"schemas", "repositories", "services", "api", "main"},
    "schemas": {"db", "models", "repositories", "services", "api", "main"},
    "repositories": {"services", "api", "main"},
    "services": {"api", "main"},
    "api": {"main"},
}


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the repository root; a trailing "/" marks a directory
    comment: str


def read_tree(text: str) -> list[Entry]:
    """Entries of a tree listing: indented lines are relative to the last unindented directory."""
    entries: list[Entry] = []
    parent = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, comment = line.strip().partition("#")
        name = name.strip()
        if line[0].isspace():
            entries.append(Entry(parent + name, comment.strip()))
        else:
            entries.append(Entry(name, comment.strip()))
            parent = name if name.endswith("/") else ""
    return entries


def app_imports(file: Path) -> set[str]:
    """The `app` subpackages (or `main`) a module imports, anywhere in it."""
    layers: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        layers.update(n.split(".")[1] for n in names if n.startswith("app.") and "." in n)
    return layers


def imported_top_level(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    names = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    names |= {
        n.module.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and not n.level
    }
    return names


def test_tree_on_disk_matches_the_page() -> None:
    """Reads the Do's listing: every file it names exists and every directory it names is a
    directory. The top of `src/app/` holds exactly the entries the listing names (`main.py`,
    `core`, `db`, `models`, `schemas`, `repositories`, `services`, `api`), every folder under it
    has an `__init__.py`, there is no `app/` at the repository root, and the modules the comments
    describe define what they say."""
    entries = read_tree(TREE.read_text(encoding="utf-8"))
    for entry in entries:
        path = ROOT / entry.path
        if entry.path.endswith("/"):
            assert path.is_dir(), entry.path
        else:
            assert path.is_file(), entry.path

    # The top of the package holds exactly what the page names: no stray module or layer.
    prescribed = {
        e.path.removeprefix("src/app/").split("/")[0]
        for e in entries
        if e.path.startswith("src/app/") and e.path != "src/app/"
    }
    on_disk = {p.name for p in APP.iterdir() if p.name not in ("__init__.py", "__pycache__")}
    assert on_disk == prescribed
    # Every folder of the app is a package, and there is no `app` outside `src/`.
    for folder in [APP, *(p for p in APP.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        assert (folder / "__init__.py").is_file(), folder
    assert not (ROOT / "app").exists()
    for module, names in DEFINES.items():
        assert names <= set(vars(import_module(module))), module


def test_layers_import_downward_only() -> None:
    """Parses every module of `src/app` and checks its `app.*` imports against the layer
    order: `core` imports no other layer; `db` only `core`; `models` no schemas, repositories,
    services or api; `schemas` nothing from the database layers; `repositories` no services or
    api; `services` no api; nothing imports `app.main`."""
    for layer, forbidden in FORBIDDEN.items():
        for file in sorted((APP / layer).rglob("*.py")):
            wrong = app_imports(file) & forbidden
            assert not wrong, f"{file.relative_to(ROOT)} imports app.{', app.'.join(sorted(wrong))}"


def test_services_stay_free_of_fastapi_and_repositories_take_the_session() -> None:
    """No module in `services/` imports `fastapi` or `starlette`, and every public async
    function in `repositories/` takes an `AsyncSession` as its first parameter."""
    services = sorted((APP / "services").rglob("*.py"))
    assert any(f.name != "__init__.py" for f in services)
    for file in services:
        assert {"fastapi", "starlette"}.isdisjoint(imported_top_level(file)), file
    for file in sorted((APP / "repositories").rglob("*.py")):
        module = import_module(".".join(file.relative_to(ROOT / "src").with_suffix("").parts))
        for name, function in inspect.getmembers(module, inspect.iscoroutinefunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            first = next(iter(inspect.signature(function).parameters.values()))
            assert first.annotation is AsyncSession, f"{module.__name__}.{name}"


def test_installed_app_is_the_src_package() -> None:
    """`python -c "import app; print(app.__file__)"` run from the repository root prints
    `src/app/__init__.py`, the installed package."""
    # From the repository root, `import app` finds the package under src/ (installed editable).
    found = subprocess.run(
        [sys.executable, "-c", "import app; print(app.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == APP / "__init__.py"


def test_flat_layout_shadows_the_installed_package(tmp_path: Path, evidence: Evidence) -> None:
    """The Avoid's tree laid out in a scratch directory, with `WHERE = "working tree"` in its
    `app/__init__.py`, and the same command run there with the same interpreter, in which the
    real `app` is installed: it prints the scratch directory's `app/__init__.py` and `working
    tree`."""
    # Lay out the Avoid's tree in a scratch directory, with a marker in its `app/__init__.py`.
    for entry in read_tree(FLAT_TREE.read_text(encoding="utf-8")):
        path = tmp_path / entry.path
        if entry.path.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("", encoding="utf-8")
    (tmp_path / "app/__init__.py").write_text('WHERE = "working tree"\n', encoding="utf-8")

    # The same interpreter, with the real `app` installed, run from the flat project's root:
    # `python -c`, `python -m pytest` and scripts put the current directory first on sys.path.
    found = subprocess.run(
        [sys.executable, "-c", "import app; print(app.__file__); print(app.WHERE)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    # The scratch directory's path differs with the run (and under xdist, with the worker).
    evidence.add(
        found.stdout.strip().replace(str(tmp_path), "<tmp>"),
        'python -c "import app; print(app.__file__); print(app.WHERE)", in the flat project',
    )
    file, where = found.stdout.splitlines()
    assert Path(file) == tmp_path / "app/__init__.py"  # not the installed src/app
    assert where == "working tree"
