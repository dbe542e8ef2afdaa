"""Each section's scope (its index.md `applies_to`) against a sample repository: it attaches
its rules to the files they govern, Python or not, and to no others."""

from pathlib import Path

import pytest

from fastapi_rulebook.install.tools import matches
from rulebook.markdown import current_rulebook

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {section.folder: section for section in current_rulebook(ROOT).sections}

# A service laid out as the conventions say, with tests both beside and inside the package.
TREE = [
    "pyproject.toml",
    "uv.lock",
    "alembic.ini",
    "alembic/env.py",
    "alembic/versions/2026_11_26_create_users.py",
    "alembic/script.py.mako",
    "src/app/main.py",
    "src/app/db/session.py",
    "src/app/api/routers/users.py",
    "src/app/users/test_service.py",
    "src/app/users/conftest.py",
    "tests/conftest.py",
    "tests/app/conftest.py",
    "tests/app/test_users.py",
    "tests/app/factories.py",
    "conftest.py",
    "README.md",
    "docs/index.md",
]
# section -> files its rules must attach to; every file of TREE not listed must not match.
EXPECTED = {
    "stack": {"pyproject.toml", "uv.lock", *(p for p in TREE if p.endswith(".py"))},
    "conventions": {"pyproject.toml", "uv.lock", *(p for p in TREE if p.endswith(".py"))},
    "async-sqlalchemy": {
        "alembic.ini",
        "alembic/script.py.mako",
        *(p for p in TREE if p.endswith(".py")),
    },
    "testing": {
        "pyproject.toml",  # [tool.pytest.ini_options]
        "src/app/users/test_service.py",
        "src/app/users/conftest.py",
        "tests/conftest.py",
        "tests/app/conftest.py",
        "tests/app/test_users.py",
        "tests/app/factories.py",
        "conftest.py",
    },
    "how-to-work": set(TREE),
}
PYTHON = {p for p in TREE if p.endswith(".py")}


@pytest.mark.parametrize("folder", SECTIONS)
def test_each_scope_matches_the_files_it_governs(folder: str) -> None:
    scope = SECTIONS[folder].applies_to
    matched = {path for path in TREE if any(matches(path, glob) for glob in scope)}
    assert matched == EXPECTED.get(folder, PYTHON)


def test_every_section_has_its_expectation() -> None:
    """A new section gets the Python default unless it says otherwise: then EXPECTED must too."""
    for folder, section in SECTIONS.items():
        if section.applies_to != ("**/*.py",):
            assert folder in EXPECTED, folder
