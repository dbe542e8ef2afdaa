"""Proofs for how-to-work/smallest-diff: the reference app keeps its layers (routers write no
SQL, services and repositories know no HTTP); the Do's diff solves the task in each layer and
nothing else, and passes the project's checks; the Avoid's diff solves it too, with SQL in the
endpoint, unrelated edits, and code `ruff format` rejects."""

import ast
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from fastapi import FastAPI
from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models import User
from snippets.how_to_work.smallest_diff import router
from tests.evidence import Evidence
from tests.lint import mypy_errors

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "snippets.how_to_work.smallest_diff"
FOLDER = Path(router.__file__).parent
LAYERS = ["repository.py", "service.py", "router.py"]
TASK_WORD = "active"  # the task: filter the admin's user list by `?active=`


def imported(path: Path) -> set[str]:
    """Top-level names of the modules a file imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_reference_app_keeps_its_layers() -> None:
    """No module of the reference app's `api/routers/` imports `sqlalchemy`, and no module of
    its `services/` or `repositories/` imports `fastapi`; the snippet's three layers start out
    the same way."""
    app = ROOT / "src" / "app"
    routers = sorted((app / "api" / "routers").glob("*.py"))
    lower = sorted([*(app / "services").glob("*.py"), *(app / "repositories").glob("*.py")])
    assert len(routers) > 1 and len(lower) > 2  # the users resource's files, at least

    assert [r.name for r in routers if "sqlalchemy" in imported(r)] == []
    assert [f.name for f in lower if "fastapi" in imported(f)] == []
    # The snippet starts from the same shape.
    assert "sqlalchemy" not in imported(FOLDER / "router.py")
    assert "fastapi" not in imported(FOLDER / "service.py") | imported(FOLDER / "repository.py")


def patched(tmp_path: Path, diff: str) -> Path:
    """A copy of the snippet's three layers with `diff` applied by `git apply`; its folder."""
    folder = tmp_path / PACKAGE.replace(".", "/")
    folder.mkdir(parents=True)
    for parent in [folder, *folder.relative_to(tmp_path).parents][:-1]:
        (tmp_path / parent / "__init__.py").touch()
    for layer in LAYERS:
        shutil.copy(FOLDER / layer, folder / layer)
    subprocess.run(["git", "apply", str(FOLDER / diff)], cwd=tmp_path, check=True)
    return folder


def hunks(diff: str) -> list[tuple[str, list[str]]]:
    """(file, changed lines) of every hunk of a unified diff."""
    found: list[tuple[str, list[str]]] = []
    current = ""
    for line in (FOLDER / diff).read_text().splitlines():
        if line.startswith("+++ "):
            current = Path(line[4:]).name
        elif line.startswith("@@"):
            found.append((current, []))
        elif line[:1] in "+-" and not line.startswith(("---", "+++")):
            found[-1][1].append(line)
    return found


def run(*command: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"MYPYPATH": str(ROOT / "src")}
    return subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=False
    )


def checks(tmp_path: Path, folder: Path, *, with_mypy: bool = True) -> dict[str, list[int]]:
    """Exit codes of the project's ruff and mypy checks on the patched layers. Ruff reads each
    patched file as if it were in place in the repository (its configuration, its imports)."""
    ruff = find_ruff_bin()
    results: dict[str, list[int]] = {"ruff check": [], "ruff format --check": []}
    for layer in LAYERS:
        text = (folder / layer).read_text()
        in_place = ("--stdin-filename", str(FOLDER / layer), "-")
        check = run(ruff, "check", "--no-cache", *in_place, cwd=ROOT, stdin=text)
        fmt = run(ruff, "format", "--no-cache", "--check", *in_place, cwd=ROOT, stdin=text)
        results["ruff check"].append(check.returncode)
        results["ruff format --check"].append(fmt.returncode)
    if not with_mypy:
        return results
    # The copy's folder comes first on mypy's path, so the patched layers import each other.
    results["mypy errors"] = [len(mypy_errors(*(folder / layer for layer in LAYERS), cwd=tmp_path))]
    return results


@pytest.fixture
def load_patched(tmp_path: Path) -> Iterator[Callable[[Path, str], ModuleType]]:
    """Import a patched copy's router, under a package name of its own."""
    loaded: list[str] = []

    def load(folder: Path, name: str) -> ModuleType:
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").touch()
        for layer in LAYERS:
            text = (folder / layer).read_text().replace(PACKAGE, name)
            (package / layer).write_text(text)
        loaded.append(name)
        return importlib.import_module(f"{name}.router")

    sys.path.insert(0, str(tmp_path))
    try:
        yield load
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] in loaded]:
            del sys.modules[name]


async def emails(router_module: ModuleType, session: AsyncSession, query: str) -> list[str]:
    app = FastAPI()
    app.include_router(router_module.router)

    async def override_get_db() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_db] = override_get_db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return [row["email"] for row in (await client.get(f"/admin/users{query}")).json()]


@pytest.fixture
async def two_users(db_session: AsyncSession) -> AsyncSession:
    db_session.add_all(
        [
            User(email="on@example.com", hashed_password="x", is_active=True),
            User(email="off@example.com", hashed_password="x", is_active=False),
        ]
    )
    await db_session.flush()
    return db_session


@pytest.mark.parametrize("diff", ["do.diff", "avoid.diff"])
async def test_both_diffs_solve_the_task(
    tmp_path: Path,
    load_patched: Callable[[Path, str], ModuleType],
    two_users: AsyncSession,
    diff: str,
) -> None:
    """Applies each diff (`git apply`) to a copy of the three modules, imports the copy, and
    calls `GET /admin/users` on PostgreSQL with one active and one inactive user. Before the
    change, `?active=false` is ignored (both users). After either diff, `?active=false` returns
    only `off@example.com`, `?active=true` only `on@example.com`, and no parameter both."""
    before = await emails(router, two_users, "?active=false")
    module = load_patched(patched(tmp_path / "work", diff), f"patched_{diff[:-5]}")

    assert before == ["on@example.com", "off@example.com"]  # the parameter is ignored today
    assert await emails(module, two_users, "?active=false") == ["off@example.com"]
    assert await emails(module, two_users, "?active=true") == ["on@example.com"]
    assert await emails(module, two_users, "") == ["on@example.com", "off@example.com"]


@pytest.mark.slow
def test_do_diff_is_the_task_in_each_layer_and_passes_the_checks(tmp_path: Path) -> None:
    """One hunk per layer, each mentioning `active`; the router still imports no
    `sqlalchemy`; `ruff check` and `ruff format --check` (each patched file read as if it were in
    place in the repository) and `mypy --strict` all pass."""
    changes = hunks("do.diff")
    folder = patched(tmp_path, "do.diff")

    assert [file for file, _ in changes] == LAYERS  # one hunk per layer
    assert all(any(TASK_WORD in line for line in lines) for _, lines in changes)
    assert "sqlalchemy" not in imported(folder / "router.py")
    assert checks(tmp_path, folder) == {
        "ruff check": [0, 0, 0],
        "ruff format --check": [0, 0, 0],
        "mypy errors": [0],
    }


def test_avoid_diff_mixes_in_unrelated_changes_and_fails_the_format_check(
    tmp_path: Path, evidence: Evidence
) -> None:
    """Two hunks with nothing about `active`, the docstring rewrite and the reworked imports and
    spacing (`APIRouter(prefix = "/admin/users")`); the router now imports `sqlalchemy` and no
    longer calls the service; and `ruff format --check` rejects the patched router."""
    changes = hunks("avoid.diff")
    folder = patched(tmp_path, "avoid.diff")

    unrelated = [lines for _, lines in changes if not any(TASK_WORD in line for line in lines)]
    # A docstring rewritten, and imports and spacing reworked around the actual change.
    assert unrelated[0] == [
        '-"""The admin\'s user list: business rules, no HTTP."""',
        '+"""User list service."""',
    ]
    assert '+router = APIRouter(prefix = "/admin/users")' in unrelated[1]
    assert len(unrelated) == 2
    # The endpoint now builds the query itself: SQL in the HTTP layer, and the service it no
    # longer calls is left behind, unused.
    assert "sqlalchemy" in imported(folder / "router.py")
    assert "service." not in (folder / "router.py").read_text()
    # ruff format would undo the spacing it added to the router: churn CI rejects.
    assert checks(tmp_path, folder, with_mypy=False)["ruff format --check"] == [0, 0, 1]
    evidence.add(
        "\n\n".join("\n".join(lines) for lines in unrelated), "The hunks not about `active`"
    )
    # `--check` on stdin says only its exit code; `--diff` shows what it would change.
    in_place = ("--stdin-filename", str(FOLDER / "router.py"), "-")
    text = (folder / "router.py").read_text()
    ruff = find_ruff_bin()
    fmt = run(ruff, "format", "--no-cache", "--check", *in_place, cwd=ROOT, stdin=text)
    shown = run(ruff, "format", "--no-cache", "--diff", *in_place, cwd=ROOT, stdin=text)
    evidence.add(f"exit code {fmt.returncode}", "ruff format --check, on the patched router")
    evidence.add(
        f"{shown.stdout.strip()}\n{shown.stderr.strip()}".strip(),
        "ruff format --diff, on the patched router: what it would undo",
    )
