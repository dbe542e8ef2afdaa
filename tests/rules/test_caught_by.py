"""Every rule page's `caught_by`, run: each code fires on the page's Avoid exactly at the lines
marked `# expect: CODE` and never on its Do code (the ESLint style of rule tests), for the three
tools alike: `fastapi-rulebook lint` (`RB...`), ruff (`ruff:B008`) and mypy (`mypy:deprecated`).

A marker at the end of a line names the codes found on that line; a marker alone on its line
names the codes found on the next line. Every `lint` finding on an Avoid must be marked, so a
check that starts firing somewhere new fails here; of ruff's and mypy's findings, every one with
a code the page lists must be marked (their other codes are the business of the rule's own
proofs), and a marker may name only codes the page lists. ruff, mypy and lint each run once for
the whole session.
"""

import re
from pathlib import Path

import pytest

from fastapi_rulebook.lint.codes import CODES, SITE_URL
from rulebook.markdown import current_rulebook
from rulebook.source import Rule, read_config
from tests.lint import ROOT, lint_findings, mypy_errors, ruff_findings

RULEBOOK = current_rulebook(ROOT)
RULES = list(RULEBOOK.rules)
# ruff reports the codes the pages name besides the project's own selection; mypy runs with the
# project's configuration, whose `enable_error_code` turns on the opt-in `deprecated`.
RUFF_SELECT = ",".join(
    sorted({c.partition(":")[2] for rule in RULES for c in rule.caught_by if c.startswith("ruff:")})
)
CODE = r"(?:RB\d{3}|ruff:[A-Z]+\d+|mypy:[a-z][a-z-]*)"
MARKER_RE = re.compile(rf"#\s*expect:\s*(?P<codes>{CODE}(?:\s*,\s*{CODE})*)\s*$")

type Found = set[tuple[int, str]]  # (line, code), the code as `caught_by` spells it


def python_files(rule: Rule, *, avoid: bool) -> list[Path]:
    paths = dict.fromkeys(include.path for include in rule.includes)
    return [
        ROOT / path
        for path in paths
        if path.endswith(".py") and (Path(path).name == "avoid.py") == avoid
    ]


def expected(path: Path) -> Found:
    """(line, code) of every `# expect:` marker in `path`."""
    found: Found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := MARKER_RE.search(line):
            target = number + 1 if line.lstrip().startswith("#") else number
            found.update((target, code.strip()) for code in match["codes"].split(","))
    return found


def tool_of(code: str) -> str:
    return code.rpartition(":")[0] or "lint"


def found(path: Path, tool: str) -> Found:
    """What `tool` reports on `path`, every code, spelt as in `caught_by`."""
    match tool:
        case "lint":
            return {(f.line, f.code) for f in lint_findings(path)}
        case "ruff":
            return {(line, f"ruff:{code}") for line, code in ruff_findings(path, *RUFF_OPTIONS)}
        case "mypy":
            return {(int(str(e["line"])), f"mypy:{e['code']}") for e in mypy_errors(path)}
    raise AssertionError(f"no runner for {tool}")


RUFF_OPTIONS = ("--extend-select", RUFF_SELECT)


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_caught_by_fires_on_the_avoid_at_the_marked_lines_and_never_on_the_do(rule: Rule) -> None:
    avoid = python_files(rule, avoid=True)
    do = python_files(rule, avoid=False)
    listed = set(rule.caught_by)
    for code in listed:
        assert tool_of(code) in {"lint", "ruff", "mypy"}, f"{rule.id}: no runner for {code}"
    marked = {path: expected(path) for path in avoid}
    for path, markers in marked.items():
        stray = {code for _, code in markers if tool_of(code) != "lint" and code not in listed}
        assert stray == set(), f"{path}: markers for codes the page does not list"

    # lint: every finding, each code is one of the rule set's; ruff, mypy: the listed codes, so
    # a tool the page lists no code of has nothing to compare.
    tools = ["lint", *sorted({tool_of(code) for code in listed} - {"lint"})]
    for tool in tools:

        def counted(code: str, tool: str = tool) -> bool:
            return tool_of(code) == tool and (tool == "lint" or code in listed)

        for path in avoid:
            want = {(line, code) for line, code in marked[path] if counted(code)}
            got = {(line, code) for line, code in found(path, tool) if counted(code)}
            assert got == want, f"{path}: {tool} findings differ from the `# expect:` markers"
        for path in do:
            got = {(line, code) for line, code in found(path, tool) if counted(code)}
            assert got == set(), f"{path}: {tool} fires on the Do"
    # Each listed code is marked somewhere on the page's Avoid, so it fires there.
    everywhere = {code for markers in marked.values() for _, code in markers}
    assert listed <= everywhere, f"{rule.id}: listed but never marked (never fires)"
    # And each RB code marked on the Avoid is listed, unless another rule's page lists it.
    others = {code for other in RULES for code in other.caught_by}
    assert {code for code in everywhere if tool_of(code) == "lint"} <= others, rule.id


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
