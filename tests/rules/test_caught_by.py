"""Every rule page's `caught_by`, run: each code fires on the page's Avoid at the lines marked
`# expect: RB...` and never on its Do code (the ESLint style of rule tests).

A marker at the end of a line names the codes found on that line; a marker alone on its line
names the codes found on the next line. Every finding on an Avoid must be marked, so a check
that starts firing somewhere new fails here. ruff and lint run once for the whole session.
"""

import re
from pathlib import Path

import pytest

from fastapi_rulebook.lint.codes import CODES, SITE_URL
from rulebook.source import Rule, load_rulebook, read_config
from tests.lint import ROOT, lint_findings, ruff_codes_by_line

RULEBOOK = load_rulebook(ROOT)
RULES = list(RULEBOOK.rules)
# ruff reports the codes the pages name besides the project's own selection.
RUFF_SELECT = ",".join(
    sorted({c.partition(":")[2] for rule in RULES for c in rule.caught_by if c.startswith("ruff:")})
)
MARKER_RE = re.compile(r"#\s*expect:\s*(?P<codes>RB\d{3}(?:\s*,\s*RB\d{3})*)\s*$")


def python_files(rule: Rule, *, avoid: bool) -> list[Path]:
    paths = dict.fromkeys(include.path for include in rule.includes)
    return [
        ROOT / path
        for path in paths
        if path.endswith(".py") and (Path(path).name == "avoid.py") == avoid
    ]


def expected(path: Path) -> set[tuple[int, str]]:
    """(line, code) of every `# expect:` marker in `path`."""
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := MARKER_RE.search(line):
            target = number + 1 if line.lstrip().startswith("#") else number
            found.update((target, code.strip()) for code in match["codes"].split(","))
    return found


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_caught_by_fires_on_the_avoid_and_never_on_the_do(rule: Rule) -> None:
    avoid = python_files(rule, avoid=True)
    do = python_files(rule, avoid=False)
    lint = {path: {(f.line, f.code) for f in lint_findings(path)} for path in [*avoid, *do]}
    for path in avoid:
        assert lint[path] == expected(path), path
    for path in do:
        assert lint[path] == set(), path
    for code in rule.caught_by:
        tool, _, name = code.rpartition(":")
        if tool == "ruff":
            ruff = {p: ruff_codes_by_line(p, "--extend-select", RUFF_SELECT) for p in avoid + do}
            assert any(name in codes for p in avoid for codes in ruff[p].values()), code
            assert not any(name in codes for p in do for codes in ruff[p].values()), code
        else:
            assert tool == "", f"{rule.id}: no runner for {code}"
            assert any(c == code for p in avoid for _, c in lint[p]), f"{rule.id}: {code}"


def test_every_code_links_a_rule_page_and_is_caught_on_some_page() -> None:
    pages = {rule.page.with_suffix("").as_posix() for rule in RULES}
    listed = {code for rule in RULES for code in rule.caught_by}
    assert RULEBOOK.site_url == SITE_URL
    for code in CODES.values():
        assert code.page in pages, code
        assert code.url == f"{RULEBOOK.site_url}{code.page}/"
    # Codes no Avoid of the rule set shows (passlib and jose imports, a sync engine made inside
    # an `async def`) are proven in tests/lint_checker/test_codes.py.
    assert set(CODES) - listed == {"RB105", "RB302"}


def test_the_site_url_is_the_one_mkdocs_publishes() -> None:
    assert read_config(ROOT)["site_url"] == SITE_URL
