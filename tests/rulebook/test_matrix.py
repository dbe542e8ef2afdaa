"""The version matrix: a rule holds, differs or breaks from its proofs' outcomes; timing tests
and failure messages never make the committed matrix stale. Small outcome data, no suite run."""

from pathlib import Path
from typing import Any

from rulebook.matrix import build, classify, differences, dumps, newest_line, versions_page
from rulebook.source import Rule, load_rulebook
from tests.rulebook.conftest import RuleRepo

FILE = "tests/rules/test_x.py"
DO, AVOID = f"{FILE}::test_do", f"{FILE}::test_avoid"
RULE = Rule(
    id="x",
    title="Do x",
    statement="Do x.",
    imperative="Do `x`",
    identifiers=("x",),
    proven_by=(DO, AVOID),
    page=Path("first/x.md"),
    includes=(),
    avoid_proofs=(AVOID,),
)


def outcome(result: str, timing: bool = False, message: str = "") -> dict[str, Any]:
    entry: dict[str, Any] = {"outcome": result, "timing": timing}
    return {**entry, "message": message} if message else entry


def test_all_proofs_passing_holds() -> None:
    tests = {DO: outcome("passed"), AVOID: outcome("passed")}
    assert classify(RULE, tests) == {"status": "holds", "failing": [], "timing_failing": []}


def test_only_the_avoid_failing_differs() -> None:
    tests = {DO: outcome("passed"), AVOID: outcome("failed", message="assert 413 == 200")}
    assert classify(RULE, tests) == {"status": "differs", "failing": [AVOID], "timing_failing": []}


def test_a_failing_do_breaks_whatever_the_avoid_does() -> None:
    tests = {DO: outcome("failed"), AVOID: outcome("failed")}
    assert classify(RULE, tests) == {
        "status": "breaks",
        "failing": [DO, AVOID],
        "timing_failing": [],
    }


def test_a_proof_that_never_ran_counts_as_failing() -> None:
    # Its module failed to import: pytest reports the module, not the test.
    tests = {FILE: outcome("failed"), AVOID: outcome("passed")}
    assert classify(RULE, tests)["status"] == "breaks"
    assert classify(RULE, tests)["failing"] == [DO]


def test_each_case_of_a_parametrized_proof_counts() -> None:
    tests = {f"{DO}[a]": outcome("passed"), f"{DO}[b]": outcome("failed"), AVOID: outcome("passed")}
    assert classify(RULE, tests) == {
        "status": "breaks",
        "failing": [f"{DO}[b]"],
        "timing_failing": [],
    }


def test_a_failing_timing_proof_is_recorded_but_decides_nothing() -> None:
    tests = {DO: outcome("failed", timing=True), AVOID: outcome("passed")}
    assert classify(RULE, tests) == {"status": "holds", "failing": [], "timing_failing": [DO]}


def matrix_of(rule_repo: RuleRepo, tests: dict[str, Any], fastapi: str = "0.165.0") -> Any:
    rulebook = load_rulebook(rule_repo.root)
    return build(rulebook, "2026-12-01T00:00:00Z", {"newest": ({"fastapi": fastapi}, tests)})


GOOD_DO = "tests/rules/test_good.py::test_do"
GOOD_AVOID = "tests/rules/test_good.py::test_avoid"


def test_timing_and_messages_never_make_the_matrix_stale(rule_repo: RuleRepo) -> None:
    committed = matrix_of(rule_repo, {GOOD_DO: outcome("passed"), GOOD_AVOID: outcome("passed")})
    fresh = matrix_of(
        rule_repo,
        {
            GOOD_DO: outcome("failed", timing=True, message="took 0.9 s"),
            GOOD_AVOID: outcome("passed"),
            "tests/test_other.py::test_slow": outcome("failed", timing=True),
        },
    )
    assert differences(committed, fresh) == []
    assert fresh["environments"]["newest"]["failures"][GOOD_DO]["message"] == "took 0.9 s"
    assert dumps(fresh) != dumps(committed)  # recorded, only not compared


def test_a_new_version_or_failure_makes_it_stale(rule_repo: RuleRepo) -> None:
    committed = matrix_of(rule_repo, {GOOD_DO: outcome("passed"), GOOD_AVOID: outcome("passed")})
    fresh = matrix_of(
        rule_repo, {GOOD_DO: outcome("passed"), GOOD_AVOID: outcome("failed")}, fastapi="0.166.0"
    )
    assert differences(committed, fresh) == [
        "newest: fastapi 0.165.0 -> 0.166.0",
        f"newest: now fails {GOOD_AVOID}",
        'rule good-rule: {"newest": {"status": "holds", "failing": []}} -> '
        f'{{"newest": {{"status": "differs", "failing": ["{GOOD_AVOID}"]}}}}',
    ]


def test_the_page_links_what_differs_to_its_failures(rule_repo: RuleRepo) -> None:
    data = matrix_of(
        rule_repo,
        {
            GOOD_DO: outcome("passed"),
            GOOD_AVOID: outcome("failed", message="assert 413 == 200"),
            "tests/app/test_users.py::test_sign_up": outcome("failed", message="no such table"),
        },
    )
    page = "\n".join(versions_page(load_rulebook(rule_repo.root), data, {"fastapi": "0.139.1"}))

    assert "| Pinned (`uv.lock`) | 0.139.1 | none |" in page
    assert (
        "| [Do the good thing](first/good-rule.md) | holds | [differs](#newest-good-rule) |" in page
    )
    assert "### Do the good thing: differs {#newest-good-rule}" in page
    assert f"- `{GOOD_AVOID}`: `assert 413 == 200`" in page
    # A failing test that proves no rule (the reference app's own) is listed too.
    assert "- `tests/app/test_users.py::test_sign_up`: `no such table`" in page


def test_agent_line_counts_the_rules_that_hold(rule_repo: RuleRepo) -> None:
    rulebook = load_rulebook(rule_repo.root)
    assert newest_line(rulebook) == ""  # no run recorded yet: the agent files say nothing
    data = matrix_of(rule_repo, {GOOD_DO: outcome("passed"), GOOD_AVOID: outcome("passed")})
    data["environments"]["newest"]["versions"] |= {"pydantic": "2.14.4", "sqlalchemy": "2.1.9"}
    rule_repo.write("versions/matrix.json", dumps(data))

    assert newest_line(rulebook) == (
        "The proofs of 1 of these 1 rules also pass on FastAPI 0.165.0, Pydantic 2.14.4, "
        "SQLAlchemy 2.1.9 (what differs: versions/)"
    )
