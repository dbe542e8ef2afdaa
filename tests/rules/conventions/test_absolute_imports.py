"""Proofs for conventions/absolute-imports: ruff reports the Avoid's relative, star and unsorted
imports by rule code (TID252 under this project's `ban-relative-imports = "all"`, F403/F405,
I001) and nothing on the Do; both run the same, so only the linter can tell them apart."""

import tomllib
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.conventions.absolute_imports import avoid, do, queries
from tests.evidence import Evidence
from tests.lint import (
    PYPROJECT,
    line_of,
    mypy_codes,
    ruff_codes,
    ruff_codes_by_line,
    ruff_diagnostics,
    ruff_output,
)

AVOID = Path(avoid.__file__)
DO = Path(do.__file__)
PARENTS_ONLY = ("--config", "lint.flake8-tidy-imports.ban-relative-imports = 'parents'")


def messages(path: Path, *options: str) -> set[tuple[int, str, str]]:
    found = set()
    for d in ruff_diagnostics(path, *options):
        location = d["location"]
        assert isinstance(location, dict)
        found.add((int(location["row"]), str(d["code"]), str(d["message"])))
    return found


def test_project_bans_every_relative_import() -> None:
    """`pyproject.toml`: ruff selects `F`, `I` and `TID`, and
    `[tool.ruff.lint.flake8-tidy-imports]` sets `ban-relative-imports = "all"`."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert lint["flake8-tidy-imports"]["ban-relative-imports"] == "all"
    assert {"F", "I", "TID"} <= set(lint["select"])


def test_ruff_flags_relative_star_and_unsorted_imports(evidence: Evidence) -> None:
    """Ruff with the project's configuration on the Avoid, line by line, exactly: TID252, F403
    and I001 on `from .queries import *`; TID252 on `from ..naming.do import UserRead`; and F405
    twice on the line using `active_users` and `User`. With `ban-relative-imports = "parents"`
    instead, TID252 is left only on the `..` import."""
    star = line_of(AVOID, "from .queries import *")
    parent = line_of(AVOID, "from ..naming.do import")
    use = line_of(AVOID, "active_users().order_by(User.email)")
    evidence.add(ruff_output(AVOID), "ruff check, on the Avoid")

    assert ruff_codes_by_line(AVOID) == {
        star: {"TID252", "F403", "I001"},  # relative, star, and the block is out of order
        parent: {"TID252"},
        use: {"F405"},  # `active_users` and `User` come from nowhere ruff can see
    }
    assert ruff_codes(AVOID)["F405"] == 2
    assert (star, "F403", "`from .queries import *` used; unable to detect undefined names") in (
        messages(AVOID)
    )

    # With the milder "parents" setting only the import out of the package is flagged: this
    # project bans even `from .queries import ...`.
    parents_only = messages(AVOID, *PARENTS_ONLY)
    evidence.add(
        "\n".join(
            line for line in ruff_output(AVOID, *PARENTS_ONLY).splitlines() if "TID252" in line
        ),
        'ruff check with ban-relative-imports = "parents", its TID252 findings',
    )
    assert {(row, code) for row, code, _ in parents_only if code == "TID252"} == {
        (parent, "TID252")
    }
    assert (
        parent,
        "TID252",
        "Prefer absolute imports over relative imports from parent modules",
    ) in parents_only


@pytest.mark.slow
def test_absolute_imports_are_clean() -> None:
    """Ruff and `mypy --strict` report nothing on the Do or on `queries.py`."""
    assert ruff_diagnostics(DO) == []
    assert ruff_diagnostics(Path(queries.__file__)) == []
    assert mypy_codes(DO) == {}


async def test_both_run_the_same_but_the_star_import_leaks_names(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Both on PostgreSQL return the two active users, `a@example.com` then `b@example.com`:
    nothing fails at run time, which is why the linter has to catch it. But the Avoid's
    namespace now holds `active_users`, `select`, `Select` and `User`, none of which it imported
    by name."""
    db_session.add_all(
        [
            User(email="b@example.com", hashed_password="x"),
            User(email="a@example.com", hashed_password="x"),
            User(email="z@example.com", hashed_password="x", is_active=False),
        ]
    )
    await db_session.flush()

    emails = [u.email for u in await do.active_user_page(db_session)]
    assert emails == ["a@example.com", "b@example.com"]
    assert [u.email for u in await avoid.active_user_page(db_session)] == emails
    # The star import put every public name of `queries` into the Avoid's namespace, imports
    # of `queries` included: a change there silently changes what the Avoid's names mean.
    assert {"active_users", "select", "Select", "User"} <= set(vars(avoid))
    evidence.add(
        f"do.active_user_page: {emails}\n"
        f"avoid.active_user_page: {[u.email for u in await avoid.active_user_page(db_session)]}",
        "Both run, on the same users",
    )
    leaked = sorted(
        set(vars(queries)) & set(vars(avoid)) - {n for n in vars(avoid) if n.startswith("_")}
    )
    evidence.add(", ".join(leaked), "Names of queries.py in the Avoid's namespace")
