"""Proofs for stack/sqlalchemy-2-orm: typed 2.0 models and 2.0-style queries run on an
AsyncSession and pass mypy; the 1.x model and `session.query()` warn, fail and do not type-check;
the pin keeps SQLAlchemy on 2.0, off the 2.1 pre-releases."""

import importlib
import sys
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from sqlalchemy.exc import MovedIn20Warning
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from rulebook.versions import locked_versions
from snippets.stack.sqlalchemy_orm import do
from tests.evidence import Evidence
from tests.lint import PYPROJECT, ROOT, line_of, mypy_errors

AVOID = "snippets.stack.sqlalchemy_orm.avoid"


@pytest.fixture(scope="module")
def legacy() -> Iterator[tuple[ModuleType, list[warnings.WarningMessage]]]:
    """The Avoid module, imported afresh, with the warnings its import raised."""
    sys.modules.pop(AVOID, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(AVOID)
    yield module, caught


async def test_typed_models_and_select_run_on_async_session(db_session: AsyncSession) -> None:
    """Three users stored in PostgreSQL with the app's `User` model, queried with the Do's
    functions on the test's `AsyncSession`: `find_by_email` finds Ada (and `None` for an unknown
    address), `display_name` gives her full name, or the e-mail address for a user without one,
    and `count_active` counts 2 of 3."""
    db_session.add_all(
        [
            User(email="ada@example.com", hashed_password="x", full_name="Ada Lovelace"),
            User(email="alan@example.com", hashed_password="x"),
            User(email="old@example.com", hashed_password="x", is_active=False),
        ]
    )
    await db_session.flush()

    ada = await do.find_by_email(db_session, "ada@example.com")
    assert ada is not None
    assert do.display_name(ada) == "Ada Lovelace"
    alan = await do.find_by_email(db_session, "alan@example.com")
    assert alan is not None
    assert do.display_name(alan) == "alan@example.com"
    assert await do.find_by_email(db_session, "nobody@example.com") is None
    assert await do.count_active(db_session) == 2


@pytest.mark.slow
def test_typed_models_pass_mypy_strict() -> None:
    """mypy (strict, this project's configuration) on the Do and on `src/app/models/user.py`: no
    errors."""
    assert mypy_errors(Path(do.__file__)) == []
    assert mypy_errors(ROOT / "src/app/models/user.py") == []


def test_legacy_declarative_base_warns(
    legacy: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """Importing the Avoid afresh records one `sqlalchemy.exc.MovedIn20Warning` for
    `declarative_base()`. This project runs pytest with warnings as errors, so in its test suite
    that import fails outright."""
    _, caught = legacy
    (warning,) = [w for w in caught if issubclass(w.category, MovedIn20Warning)]
    evidence.add(warning.message, f"import {AVOID}")
    assert str(warning.message).startswith(
        "The ``declarative_base()`` function is now available as "
        "sqlalchemy.orm.declarative_base(). (deprecated since: 2.0)"
    )
    # With this project's `filterwarnings = error`, that warning fails the import outright.


async def test_session_query_does_not_exist_on_async_session(
    legacy: tuple[ModuleType, list[warnings.WarningMessage]],
    db_session: AsyncSession,
    evidence: Evidence,
) -> None:
    """The Avoid's `find_by_email` and `count_active` with a real `AsyncSession` both raise
    `AttributeError: 'AsyncSession' object has no attribute 'query'`. (`display_name` runs: the
    `Column` typing problem is static.)"""
    module, _ = legacy
    with pytest.raises(AttributeError) as find:
        await module.find_by_email(db_session, "ada@example.com")
    with pytest.raises(AttributeError) as count:
        await module.count_active(db_session)
    evidence.add(find.value, 'await find_by_email(session, "ada@example.com")')
    evidence.add(count.value, "await count_active(session)")
    assert str(find.value) == str(count.value) == "'AsyncSession' object has no attribute 'query'"
    # Attribute access runs, but mypy types `user.email` as `Column[str]`, not `str` (below).
    assert module.display_name(module.User(email="ada@example.com")) == "ada@example.com"


@pytest.mark.slow
def test_legacy_model_fails_mypy_strict(
    legacy: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """mypy on a copy of the Avoid gets exactly these errors: `valid-type` and `misc` on `class
    User(Base)`; `attr-defined` and `no-any-return` on each `session.query(...)` line; and
    `return-value` (`got "Column[str]", expected "str"`) in `display_name`."""
    module, _ = legacy
    source = Path(str(module.__file__))  # checked in place: the suite's mypy run has no override

    errors = mypy_errors(source)
    evidence.add(
        "\n".join(
            f"{e['file']}:{e['line']}: {e['severity']}: {e['message']}  [{e['code']}]"
            for e in sorted(errors, key=lambda e: (int(str(e["line"])), int(str(e["column"]))))
        ),
        "mypy --strict snippets/stack/sqlalchemy_orm/avoid.py",
    )
    found = {(int(str(e["line"])), str(e["code"])) for e in errors}
    assert found == {
        (line_of(source, "class User(Base)"), "valid-type"),  # `Base` is a variable, not a class
        (line_of(source, "class User(Base)"), "misc"),  # "Invalid base class"
        (line_of(source, "session.query(User).filter_by"), "attr-defined"),
        (line_of(source, "session.query(User).filter_by"), "no-any-return"),
        (line_of(source, "session.query(User).filter(User"), "attr-defined"),
        (line_of(source, "session.query(User).filter(User"), "no-any-return"),
        (line_of(source, "return user.full_name or user.email"), "return-value"),  # got Column[str]
    }


def test_pin_keeps_sqlalchemy_on_2_0() -> None:
    """`pyproject.toml` requires `sqlalchemy[asyncio]`, the locked version is at least 2.0.51 and
    below 2.1, and the pin refuses `2.1.0b1`, `2.1.0rc1` and `2.1.0` (pre-releases allowed) as
    well as `2.0.50` and `1.4.54`."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    (pin,) = [
        Requirement(spec)
        for spec in config["dependency-groups"]["stack"]
        if Requirement(spec).name == "sqlalchemy"
    ]
    assert "asyncio" in pin.extras
    locked = Version(locked_versions(ROOT / "uv.lock")["sqlalchemy"])
    assert Version("2.0.51") <= locked < Version("2.1")
    assert pin.specifier.contains(locked)
    # No 2.1 release, pre-release or final, gets in even when pre-releases are allowed.
    for version in ("2.1.0b1", "2.1.0rc1", "2.1.0", "1.4.54", "2.0.50"):
        assert not pin.specifier.contains(version, prereleases=True), version
