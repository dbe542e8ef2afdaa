"""The rule card and the site build: what a page shows comes from the rule source and the lock."""

import subprocess
import sys
from pathlib import Path

import markdown

from rulebook.markdown import RuleCardExtension
from tests.rulebook.conftest import RuleRepo

SITE_MKDOCS_YML = """\
site_name: Test book
strict: true
theme:
  name: material
  features: [content.tabs.link]
markdown_extensions:
  - admonition
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - rulebook.markdown
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
nav:
  - Home: index.md
  - First section:
      - first/index.md
      - first/good-rule.md
  - Downloads: downloads.md
"""


def build(repo: RuleRepo) -> subprocess.CompletedProcess[str]:
    repo.write("mkdocs.yml", SITE_MKDOCS_YML)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_card_shows_statement_proofs_and_locked_versions(rule_repo: RuleRepo) -> None:
    html = markdown.markdown(
        "[[rule-card good-rule]]",
        extensions=["admonition", RuleCardExtension(base_path=str(rule_repo.root))],
    )

    assert "<p>Do the good thing, always.</p>" in html
    assert "<code>tests/rules/test_good.py::test_do</code>" in html
    # 9.9.9 is what the lock says; the installed FastAPI is another version.
    assert "fastapi 9.9.9" in html
    assert "Python 3.14." in html


def test_site_page_shows_card_and_included_code(rule_repo: RuleRepo) -> None:
    result = build(rule_repo)

    assert result.returncode == 0, result.stderr
    page = (rule_repo.root / "site/first/good-rule/index.html").read_text()
    assert "Do the good thing, always." in page
    assert "good" in page and "return" in page  # the region of do.py, highlighted
    assert "--8&lt;--" not in page and "--8<--" not in page  # no include syntax leaks
    assert "List" in page  # the whole of avoid.py


def test_bad_rule_source_yields_no_site(rule_repo: RuleRepo) -> None:
    rule_repo.edit("docs/first/good-rule.md", "do.py:good", "do.py:gone")

    result = build(rule_repo)

    assert result.returncode != 0
    assert "docs/first/good-rule.md:18: include points at no region `gone`" in result.stderr
    assert not (rule_repo.root / "site/index.html").exists()
    assert not (rule_repo.root / "site/first/good-rule/index.html").exists()


def test_pages_without_a_card_do_not_read_the_rule_source(tmp_path: Path) -> None:
    html = markdown.markdown(
        "text without a card", extensions=[RuleCardExtension(base_path=str(tmp_path / "none"))]
    )
    assert html == "<p>text without a card</p>"
