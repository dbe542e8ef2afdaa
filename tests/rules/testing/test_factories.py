"""Proofs for testing/test-factories: a shared dict of test data carries one test's edit into
the next and collides on unique columns; the reference app's UserFactory makes valid, unique
users with only the fields a test states; shared fixtures live in each package's conftest.py."""

import ast
import re
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
from tests.evidence import Evidence, describe_exception

ROOT = Path(__file__).resolve().parents[3]
user_data = avoid.user_data  # the Avoid's fixture, for this module
admin_flags_seen: list[object] = []


@pytest.mark.parametrize("run", [1, 2])
def test_shared_dict_carries_one_tests_edit_into_the_next(
    user_data: dict[str, object], run: int, evidence: Evidence
) -> None:
    """Runs twice with the Avoid's `user_data`: each run records `is_admin`, then sets it. The
    first run sees `False`, the second `True`, the first run's edit."""
    admin_flags_seen.append(user_data["is_admin"])

    user_data["is_admin"] = True  # "for this test, make the user an admin"

    # The first run found the default; the second finds the first run's edit.
    assert admin_flags_seen == [False, True][: len(admin_flags_seen)]
    # What holds whichever worker and order the runs get: the edit lands in the module's dict.
    evidence.add(
        f"user_data is avoid.USER: {user_data is avoid.USER}\n"
        f"avoid.USER['is_admin'] after the edit: {avoid.USER['is_admin']}",
        'user_data["is_admin"] = True, in one test',
    )


async def test_dict_data_collides_on_unique_columns(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Two `User(**USER)` rows fail at the flush with `IntegrityError: ... duplicate key value
    violates unique constraint`."""
    data: dict[str, Any] = dict(avoid.USER)
    db_session.add(User(**data))
    await db_session.flush()

    db_session.add(User(**data))  # a test that needs a second user
    with pytest.raises(
        IntegrityError, match="duplicate key value violates unique constraint"
    ) as error:
        await db_session.flush()
    # USER's is_admin is whatever the tests before this one on the worker left in it.
    text = re.sub(
        r"(\$4::BOOLEAN.*, )(True|False)\)\]",
        r"\1<is_admin, as earlier tests left it>)]",
        describe_exception(error.value),
        flags=re.DOTALL,
    )
    evidence.add(text, "A second User(**USER), flushed")


async def test_factory_makes_valid_unique_users_from_what_the_test_states(
    db_session: AsyncSession,
) -> None:
    """Three `UserFactory.create()` calls give three distinct e-mail addresses; only the third,
    `create(is_admin=True)`, is an admin; its hash verifies against the factory's password; `id`
    and `created_at` are filled in by PostgreSQL; and `build()` returns an unsaved user with the
    e-mail asked for."""
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
    """Scans `tests/`: every folder with a `conftest.py` is a package (`tests/app` among them);
    no fixture name is defined in two test modules of the same package; and no test module
    imports from another test module (`from tests....test_x import ...`)."""
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
