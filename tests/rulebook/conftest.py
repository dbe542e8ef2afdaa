"""A small, valid rule repository in a temporary folder, for the rulebook tool's own tests."""

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# The test book's pages, in order: the loader reads the order from here, the site builds it.
NAV = """\
nav:
  - Home: index.md
  - First section:
      - first/index.md
      - first/good-rule.md
  - Downloads: downloads.md
"""

MKDOCS_YML = (
    """\
site_name: Test book
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""
    + NAV
)

RULE_PAGE = """\
---
id: good-rule
identifiers: ["def good"]
imperative: "Write `def good() -> int`"
statement: >-
  Do the good thing, always.
caught_by: []
proven_by:
  - tests/rules/test_good.py::test_do
  - tests/rules/test_good.py::test_avoid
avoid_proofs:
  - tests/rules/test_good.py::test_avoid
---

# Do the good thing

[[rule-card good-rule]]

=== "Do"

    ```python
    --8<-- "snippets/first/good_rule/do.py:good"
    ```

=== "Avoid"

    ```python
    --8<-- "snippets/first/good_rule/avoid.py"
    ```

    [[evidence]]

## What proves it

[[proofs]]
"""

DO_PY = """\
import fastapi


# --8<-- [start:good]
def good() -> int:
    return 1


# --8<-- [end:good]
"""

AVOID_PY = '''\
"""Typing aliases from before Python 3.9: ruff flags them."""

from typing import List
'''

TEST_PY = '''\
def test_do() -> None:
    """`good()` returns 1."""


async def test_avoid() -> None:
    """The old alias is refused."""
'''

# What the Avoid's proof observed (tests/evidence.py writes it in a real repository).
EVIDENCE_TXT = "ruff: UP035 `typing.List` is deprecated, use `list` instead\n"

UV_LOCK = """\
version = 1
requires-python = ">=3.14"

[[package]]
name = "fastapi"
version = "9.9.9"
"""


@dataclass
class RuleRepo:
    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def rule_repo(tmp_path: Path) -> RuleRepo:
    repo = RuleRepo(tmp_path)
    repo.write("mkdocs.yml", MKDOCS_YML)
    repo.write("pyproject.toml", '[project]\nname = "book"\nversion = "1.2.3"\n')
    repo.write("uv.lock", UV_LOCK)
    repo.write("docs/index.md", "# Home\n")
    repo.write("docs/downloads.md", "# Downloads\n")
    repo.write("docs/first/index.md", "# First section\n")
    repo.write("docs/first/good-rule.md", RULE_PAGE)
    for folder in ("snippets", "snippets/first", "snippets/first/good_rule"):
        repo.write(f"{folder}/__init__.py", "")
    repo.write("snippets/first/good_rule/do.py", DO_PY)
    repo.write("snippets/first/good_rule/avoid.py", AVOID_PY)
    repo.write("tests/rules/test_good.py", TEST_PY)
    repo.write("evidence/rules/test_good/test_avoid.txt", EVIDENCE_TXT)
    return repo
