"""Proofs for testing/test-factories: a shared dict of test data carries one test's edit into
the next and collides on unique columns; the reference app's UserFactory makes valid, unique
users with only the fields a test states; shared fixtures live in each package's conftest.py."""

import ast
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import verify_password
from app.models import User
from snippets.testing.test_factories import avoid
from tests.app.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[3]
user_data = avoid.user_data  # the Avoid's fixture, for this module
admin_flags_seen: list[object] = []


@pytest.mark.parametrize("run", [1, 2])
def test_shared_dict_carries_one_tests_edit_into_the_next(
    user_data: dict[str, object], run: int
) -> None:
    admin_flags_seen.append(user_data["is_admin"])

    user_data["is_admin"] = True  # "for this test, make the user an admin"

    # The first run found the default; the second finds the first run's edit.
    assert admin_flags_seen == [False, True][: len(admin_flags_seen)]


async def test_dict_data_collides_on_unique_columns(db_session: AsyncSession) -> None:
    data: dict[str, Any] = dict(avoid.USER)
    db_session.add(User(**data))
    await db_session.flush()

    db_session.add(User(**data))  # a test that needs a second user
    with pytest.raises(IntegrityError, match="duplicate key value violates unique constraint"):
        await db_session.flush()


async def test_factory_makes_valid_unique_users_from_what_the_test_states(
    db_session: AsyncSession,
) -> None:
    users = UserFactory(db_session)

    plain = await users.create()
    other = await users.create()
    admin = await users.create(is_admin=True)  # the one field this test is about

    assert len({plain.email, other.email, admin.email}) == 3
    assert (plain.is_admin, admin.is_admin) == (False, True)
    assert verify_password(PASSWORD, admin.hashed_password)  # a real Argon2 hash
    assert plain.id is not None and plain.created_at is not None  # flushed to PostgreSQL
    assert await db_session.scalar(select(func.count()).select_from(User)) == 3
    unsaved = users.build(email="draft@example.com")
    assert unsaved.id is None and unsaved.email == "draft@example.com"


def fixtures_by_package() -> dict[tuple[Path, str], list[str]]:
    """Fixture names defined in test modules (not conftests), by package: where they repeat."""
    found: dict[tuple[Path, str], list[str]] = defaultdict(list)
    for module in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.parse(module.read_text()).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if any(ast.unparse(d).startswith("pytest.fixture") for d in node.decorator_list):
                found[(module.parent, node.name)].append(module.name)
    return found


def test_shared_fixtures_live_in_each_packages_conftest() -> None:
    packages = sorted(p.parent for p in (ROOT / "tests").rglob("conftest.py"))
    repeated = {k: v for k, v in fixtures_by_package().items() if len(v) > 1}
    imports_from_test_modules = [
        (module.name, node.module)
        for module in (ROOT / "tests").rglob("*.py")
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("tests.")
        and node.module.split(".")[-1].startswith("test_")
    ]

    # Every folder with a conftest.py is a package, and the reference app's tests have one.
    assert all((package / "__init__.py").is_file() for package in packages)
    assert ROOT / "tests" / "app" in packages
    # No fixture is defined twice in one package's test modules: shared ones are in conftest.py.
    assert repeated == {}
    # No test module imports fixtures or helpers from another test module
    # (`from tests.<package>.test_<x> import ...`).
    assert imports_from_test_modules == []
