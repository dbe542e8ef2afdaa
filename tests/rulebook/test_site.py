"""The rule card and the site build: what a page shows comes from the rule source and the lock."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from typer.testing import CliRunner

from fastapi_rulebook.install.tools import TARGETS
from rulebook.cli import app
from rulebook.generate import download_name, target_files
from rulebook.llms import llms_full
from rulebook.markdown import RuleCardExtension, current_rulebook, render_avoid_summary
from rulebook.source import load_rulebook
from tests.lint import ROOT
from tests.rulebook.conftest import NAV, RuleRepo

SITE_MKDOCS_YML = (
    """\
site_name: Test book
strict: true
theme:
  name: material
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - rulebook.markdown
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""
    + NAV
)


class DownloadLinks(HTMLParser):
    """The attributes of every link on a page that carries a `download` attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and "download" in dict(attrs):
            self.found.append(dict(attrs))


def build(repo: RuleRepo) -> subprocess.CompletedProcess[str]:
    repo.write("mkdocs.yml", SITE_MKDOCS_YML)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_do_and_avoid_tabs_are_marked_and_the_avoid_says_do_not_copy() -> None:
    html = markdown.markdown(
        '=== "Do"\n\n    good\n\n=== "Avoid"\n\n    bad\n\n=== "Other"\n\n    other\n',
        extensions=[
            "pymdownx.superfences",
            "pymdownx.tabbed",
            RuleCardExtension(base_path="."),
        ],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )

    assert '<label class="rulebook-do" for="__tabbed_1_1">Do</label> ' in html
    assert '<label class="rulebook-avoid" for="__tabbed_1_2">Avoid</label> ' in html
    assert '<label for="__tabbed_1_3">Other</label>' in html
    assert '<div class="tabbed-block rulebook-do">\n<p>good</p>' in html
    assert (
        '<div class="tabbed-block rulebook-avoid">\n<p class="rulebook-avoid-cue">Don\'t copy: '
        in html
    )
    assert html.count("rulebook-avoid-cue") == 1


def test_card_shows_statement_proofs_and_locked_versions(rule_repo: RuleRepo) -> None:
    html = markdown.markdown(
        "[[rule-card good-rule]]",
        extensions=["admonition", RuleCardExtension(base_path=str(rule_repo.root))],
    )

    assert "<p>Do the good thing, always.</p>" in html
    # A link to the page's proofs, not every test name.
    assert (
        '<a href="#what-proves-it">2 tests: what each shows</a> · '
        "<code>tests/rules/test_good.py</code>" in html
    )
    assert "test_avoid" not in html
    # 9.9.9 is what the lock says; the installed FastAPI is another version.
    assert "fastapi 9.9.9" in html
    assert "Python 3.14." in html


def test_card_links_the_tests_and_shows_full_files(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "mkdocs.yml",
        "site_name: Test book",
        "site_name: Test book\nrepo_url: https://example.org/book",
    )
    html = markdown.markdown(
        "[[rule-card good-rule]]",
        extensions=[
            "admonition",
            "pymdownx.details",
            "pymdownx.superfences",
            RuleCardExtension(base_path=str(rule_repo.root)),
            "pymdownx.snippets",
        ],
        extension_configs={
            "pymdownx.snippets": {"base_path": [str(rule_repo.root)], "check_paths": True}
        },
    )

    blob = "https://example.org/book/blob/main"
    assert (
        f'<a href="{blob}/tests/rules/test_good.py"><code>tests/rules/test_good.py</code></a>'
        in html
    )
    # do.py is shown as a region on the page; the card holds the whole file, import included.
    assert "View the full files this page shows parts of" in html
    assert '<span class="nn">fastapi</span>' in html
    assert "[start:good]" not in html


@pytest.mark.slow
def test_site_page_shows_card_and_included_code(rule_repo: RuleRepo) -> None:
    result = build(rule_repo)

    assert result.returncode == 0, result.stderr
    page = (rule_repo.root / "site/first/good-rule/index.html").read_text()
    assert "Do the good thing, always." in page
    assert "good" in page and "return" in page  # the region of do.py, highlighted
    assert "--8&lt;--" not in page and "--8<--" not in page  # no include syntax leaks
    assert "List" in page  # the whole of avoid.py


@pytest.mark.slow
def test_bad_rule_source_yields_no_site(rule_repo: RuleRepo) -> None:
    rule_repo.edit("docs/first/good-rule.md", "do.py:good", "do.py:gone")

    result = build(rule_repo)

    assert result.returncode != 0
    assert "docs/first/good-rule.md:22: include points at no region `gone`" in result.stderr
    assert not (rule_repo.root / "site/index.html").exists()
    assert not (rule_repo.root / "site/first/good-rule/index.html").exists()


def test_pages_without_a_card_do_not_read_the_rule_source(tmp_path: Path) -> None:
    html = markdown.markdown(
        "text without a card", extensions=[RuleCardExtension(base_path=str(tmp_path / "none"))]
    )
    assert html == "<p>text without a card</p>"


@pytest.mark.slow
def test_downloads_page_links_every_file_and_each_link_resolves(rule_repo: RuleRepo) -> None:

    assert CliRunner().invoke(app, ["generate", "--root", str(rule_repo.root)]).exit_code == 0
    rule_repo.write("docs/downloads.md", "# Downloads\n\n[[agent-files]]\n")
    result = build(rule_repo)
    assert result.returncode == 0, result.stderr

    page = rule_repo.root / "site/downloads/index.html"
    parser = DownloadLinks()
    parser.feed(page.read_text())
    names = {link["download"] for link in parser.found}
    targets = target_files(load_rulebook(rule_repo.root))
    expected = {
        Path(next(iter(files))).name if TARGETS[target].one_file else download_name(target, files)
        for target, files in targets.items()
    }
    assert expected <= names
    assert ".cursorrules" in names  # the name to save as, not the download's own name
    for link in parser.found:
        href = str(link["href"])
        assert (page.parent / href).resolve().is_file(), href
    text = re.sub(r"<[^>]+>", "", page.read_text())  # code blocks are split into spans
    assert "of 12,000 characters" in text  # AGENTS.md against Devin Desktop's limit
    assert "curl -fsSLo .cursorrules " in text


def test_stack_table_reads_pins_and_the_lock(rule_repo: RuleRepo) -> None:
    rule_repo.write(
        "pyproject.toml",
        '[project]\nname = "book"\nversion = "1.2.3"\nrequires-python = ">=3.14"\n'
        'dependencies = ["fastapi>=0.139,<0.140"]\n',
    )
    html = markdown.markdown(
        "[[stack-versions]]",
        extensions=["tables", RuleCardExtension(base_path=str(rule_repo.root))],
    )
    # The lock says 9.9.9; the pin is typed in pyproject.toml; nothing else is typed.
    assert "<td>fastapi</td>\n<td><code>&gt;=0.139,&lt;0.140</code></td>\n<td>9.9.9</td>" in html


def test_do_and_avoid_summaries_link_every_rule(rule_repo: RuleRepo) -> None:
    extensions = [RuleCardExtension(base_path=str(rule_repo.root))]
    do = markdown.markdown("[[do-summary]]", extensions=extensions)
    avoid = markdown.markdown("[[avoid-summary]]", extensions=extensions)

    link = '<a href="../first/good-rule.md">Do the good thing</a>'
    assert f"<h2>First section</h2>\n<ul>\n<li>{link}</li>" in do
    assert f"<li>Typing aliases from before Python 3.9: ruff flags them. → {link}</li>" in avoid


def test_avoid_summary_names_every_rule_or_says_why_not() -> None:
    """Every rule of this rule set is in the Avoid summary: by its Avoid's docstring, or, when
    its Avoid is no Python module, by the file the page shows instead."""
    rulebook = current_rulebook(ROOT)
    lines = render_avoid_summary(rulebook)
    missing = []
    for rule in rulebook.rules:
        mine = [line for line in lines if f"]({'../' + rule.page.as_posix()})" in line]
        if rule.avoid_summaries:
            ok = all(
                any(line.startswith(f"- {avoid} →") for line in mine)
                for avoid in rule.avoid_summaries
            )
        else:
            # Only an Avoid that is not Python goes without a summary line.
            ok = any(": its Avoid is `" in line for line in mine) and not any(
                include.path.endswith(".py") and "avoid" in include.path
                for include in rule.includes
            )
        if not ok:
            missing.append(rule.id)
    assert missing == []
    assert "## Avoids that are not Python" in lines


def test_proofs_table_and_the_avoids_evidence(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "mkdocs.yml",
        "site_name: Test book",
        "site_name: Test book\nrepo_url: https://example.org/book",
    )
    page = (rule_repo.root / "docs/first/good-rule.md").read_text()
    html = markdown.markdown(
        page.partition("\n---\n")[2],
        extensions=[
            "admonition",
            "tables",
            "pymdownx.details",
            "pymdownx.superfences",
            "pymdownx.tabbed",
            RuleCardExtension(base_path=str(rule_repo.root)),
            "pymdownx.snippets",
        ],
        extension_configs={
            "pymdownx.snippets": {"base_path": [str(rule_repo.root)], "check_paths": True},
            "pymdownx.tabbed": {"alternate_style": True},
        },
    )

    source = "https://example.org/book/blob/main/tests/rules/test_good.py"
    # Each test by name, linked to its line, with what it proves and its docstring.
    assert (
        f'<td><a href="{source}#L1" title="test_do">Do</a></td>\n'
        "<td>✓ the Do works</td>\n<td><code>good()</code> returns 1.</td>" in html
    )
    assert (
        f'<td><a href="{source}#L5" title="test_avoid">Avoid</a></td>\n'
        "<td>✗ the Avoid fails</td>\n<td>The old alias is refused.</td>" in html
    )
    # In the Avoid tab, after its code: the committed evidence, as the test wrote it.
    do_tab, avoid_tab = html.split('<div class="tabbed-block')[1:]
    assert '<div class="admonition failure">' not in do_tab
    assert avoid_tab.index("typing") < avoid_tab.index('<div class="admonition failure">')
    assert "What the proof saw: Avoid</p>" in html
    assert f'Observed by <a href="{source}#L5"><code>test_avoid</code></a>' in html
    assert "ruff: UP035 `typing.List` is deprecated, use `list` instead" in html


def test_llms_full_draws_the_proofs_and_the_evidence(rule_repo: RuleRepo) -> None:
    (rule,) = load_rulebook(rule_repo.root).rules
    text = llms_full(load_rulebook(rule_repo.root))
    assert "| Avoid (`test_avoid`) | ✗ the Avoid fails | The old alias is refused. |" in text
    assert "    ruff: UP035 `typing.List` is deprecated, use `list` instead" in text
    assert "[[evidence]]" not in text and "[[proofs]]" not in text
    assert rule.id == "good-rule"
