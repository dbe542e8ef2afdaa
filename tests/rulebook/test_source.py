"""The loader accepts a valid rule source and names the file and line of every problem."""

from pathlib import Path

import pytest

from rulebook.source import RuleSourceError, evidence_file, evidence_files, load_rulebook
from tests.rulebook.conftest import RuleRepo

PAGE = "docs/first/good-rule.md"
TEST_FILE = "tests/rules/test_good.py"
EVIDENCE_FILE = "evidence/rules/test_good/test_avoid.txt"


def problems_of(repo: RuleRepo) -> list[str]:
    with pytest.raises(RuleSourceError) as caught:
        load_rulebook(repo.root)
    return [str(problem) for problem in caught.value.problems]


def test_valid_source_loads_in_nav_order(rule_repo: RuleRepo) -> None:
    rulebook = load_rulebook(rule_repo.root)

    assert [section.title for section in rulebook.sections] == ["First section"]
    (rule,) = rulebook.rules
    assert rule.id == "good-rule"
    assert rule.title == "Do the good thing"
    assert rule.statement == "Do the good thing, always."
    assert rule.page == Path("first/good-rule.md")
    assert [(i.path, i.region, i.line) for i in rule.includes] == [
        ("snippets/first/good_rule/do.py", "good", 22),
        ("snippets/first/good_rule/avoid.py", None, 28),
    ]


def test_sections_are_found_inside_a_nav_group(rule_repo: RuleRepo) -> None:
    """A top tab ("Rules") may group the sections; the loader finds them one level down."""
    rule_repo.edit(
        "mkdocs.yml",
        "  - First section:\n      - first/index.md\n      - first/good-rule.md\n",
        "  - Rules:\n      - First section:\n          - first/index.md\n"
        "          - first/good-rule.md\n",
    )
    rulebook = load_rulebook(rule_repo.root)

    assert [section.title for section in rulebook.sections] == ["First section"]
    assert [rule.id for rule in rulebook.rules] == ["good-rule"]


def test_missing_statement(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "statement: >-\n  Do the good thing, always.\n", "")
    assert problems_of(rule_repo) == [
        f"{PAGE}:2: `statement`: required front-matter key is missing"
    ]


def test_empty_statement(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "statement: >-\n  Do the good thing, always.\n", 'statement: "  "\n')
    assert problems_of(rule_repo) == [f"{PAGE}:5: `statement`: must not be empty"]


def test_unknown_front_matter_key(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "proven_by:", "severity: high\nproven_by:")
    assert problems_of(rule_repo) == [
        f"{PAGE}:8: `severity`: unknown front-matter key "
        "(allowed: id, identifiers, imperative, statement, caught_by, proven_by, avoid_proofs)"
    ]


def test_caught_by_names_tool_codes_only(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "caught_by: []", 'caught_by: ["RB301", "ruff:FAST002", "pylint:W0611"]')
    (problem,) = problems_of(rule_repo)
    assert problem.startswith(f"{PAGE}:7: `caught_by`: String should match pattern")


def test_caught_by_is_required(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "caught_by: []\n", "")
    assert problems_of(rule_repo) == [
        f"{PAGE}:2: `caught_by`: required front-matter key is missing"
    ]


def test_invalid_yaml_names_the_line(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "id: good-rule", "id: [good-rule")
    (problem,) = problems_of(rule_repo)
    assert problem.startswith(f"{PAGE}:3: front matter is not valid YAML")


def test_page_without_front_matter(rule_repo: RuleRepo) -> None:
    text = (rule_repo.root / PAGE).read_text()
    rule_repo.write(PAGE, text.split("---\n", 2)[2])  # the body alone, includes and all
    assert problems_of(rule_repo) == [
        f"{PAGE}:1: no front matter: the page must start with a `---` YAML block"
    ]


def test_id_must_match_file_name(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "id: good-rule", "id: other-rule")
    rule_repo.edit(PAGE, "[[rule-card good-rule]]", "[[rule-card other-rule]]")
    assert problems_of(rule_repo) == [
        f"{PAGE}:2: `id`: `other-rule` must equal the file name `good-rule`"
    ]


def test_duplicate_id_across_sections(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "mkdocs.yml",
        "  - Downloads:",
        "  - Second:\n      - second/index.md\n      - second/good-rule.md\n  - Downloads:",
    )
    rule_repo.write("docs/second/index.md", "# Second\n")
    rule_repo.write("docs/second/good-rule.md", (rule_repo.root / PAGE).read_text())
    assert problems_of(rule_repo) == [
        "docs/second/good-rule.md: `id`: duplicate id `good-rule`, also used by "
        "docs/first/good-rule.md"
    ]


def test_include_of_missing_file(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "good_rule/avoid.py", "good_rule/nothing.py")
    assert problems_of(rule_repo) == [
        f"{PAGE}:28: include points at no file: `snippets/first/good_rule/nothing.py`",
        "snippets/first/good_rule/avoid.py: snippet is shown on no page (include it or delete it)",
    ]


def test_include_of_missing_region(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "do.py:good", "do.py:better")
    assert problems_of(rule_repo) == [
        f"{PAGE}:22: include points at no region `better` in `snippets/first/good_rule/do.py` "
        "(mark it with `# --8<-- [start:better]` ... `[end:better]`)"
    ]


def test_region_opened_but_never_closed(rule_repo: RuleRepo) -> None:
    rule_repo.edit("snippets/first/good_rule/do.py", "# --8<-- [end:good]", "")
    (problem,) = problems_of(rule_repo)
    assert problem.startswith(f"{PAGE}:22: include points at no region `good`")


def test_include_by_line_numbers_is_refused(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "do.py:good", "do.py:4:6")
    assert problems_of(rule_repo) == [
        f"{PAGE}:22: include `snippets/first/good_rule/do.py:4:6` uses line numbers; "
        "mark a named region instead"
    ]


def test_snippet_shown_on_no_page(rule_repo: RuleRepo) -> None:
    rule_repo.write("snippets/first/good_rule/extra.py", "X = 1\n")
    assert problems_of(rule_repo) == [
        "snippets/first/good_rule/extra.py: snippet is shown on no page (include it or delete it)"
    ]


def test_snippet_folder_without_init(rule_repo: RuleRepo) -> None:
    (rule_repo.root / "snippets/first/__init__.py").unlink()
    assert problems_of(rule_repo) == ["snippets/first: snippet folder has no `__init__.py`"]


def test_proof_that_names_no_test(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        PAGE, "avoid_proofs:\n  - tests/rules/test_good.py::test_avoid", "avoid_proofs: []"
    )
    rule_repo.edit(PAGE, "test_good.py::test_avoid", "test_good.py::test_missing")
    rule_repo.edit(PAGE, "tests/rules/test_good.py::test_do", "tests/rules/test_none.py::test_do")
    assert problems_of(rule_repo) == [
        f"{PAGE}:9: `proven_by`: no test file `tests/rules/test_none.py`",
        f"{PAGE}:10: `proven_by`: no test `test_missing` in `tests/rules/test_good.py`",
    ]


def test_avoid_proof_must_be_one_of_the_proofs(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "test_avoid\n---", "test_x\n---")
    assert problems_of(rule_repo) == [
        f"{PAGE}:12: `avoid_proofs`: `tests/rules/test_good.py::test_x` is not in `proven_by`"
    ]


def test_avoid_proofs_are_read(rule_repo: RuleRepo) -> None:
    (rule,) = load_rulebook(rule_repo.root).rules
    assert rule.avoid_proofs == ("tests/rules/test_good.py::test_avoid",)


def test_proof_may_name_a_parametrized_case(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "test_good.py::test_do", "test_good.py::test_do[case-1]")
    (rule,) = load_rulebook(rule_repo.root).rules
    assert rule.proven_by[0] == "tests/rules/test_good.py::test_do[case-1]"


def test_card_must_name_the_page(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "[[rule-card good-rule]]", "[[rule-card bad-rule]]")
    assert problems_of(rule_repo) == [
        f"{PAGE}:17: `[[rule-card bad-rule]]` names another rule; use `[[rule-card good-rule]]`"
    ]


def test_card_is_required(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "[[rule-card good-rule]]", "")
    assert problems_of(rule_repo) == [
        f"{PAGE}:15: needs exactly one `[[rule-card good-rule]]` line, found 0"
    ]


def test_title_is_required(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "# Do the good thing", "Do the good thing")
    assert problems_of(rule_repo) == [f"{PAGE}:15: the body must start with a `# Title` line"]


def test_rule_page_missing_from_nav(rule_repo: RuleRepo) -> None:
    rule_repo.write("docs/first/forgotten.md", "# Forgotten\n")
    assert problems_of(rule_repo) == [
        "docs/first/forgotten.md: rule page is not listed in mkdocs.yml `nav`"
    ]


def test_nav_entry_without_file(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "mkdocs.yml",
        "      - first/good-rule.md\n",
        "      - first/good-rule.md\n      - first/ghost.md\n",
    )
    assert problems_of(rule_repo) == ["mkdocs.yml: `nav` lists `first/ghost.md`, which is no file"]


def test_every_problem_is_reported_at_once(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "do.py:good", "do.py:better")
    rule_repo.write("snippets/first/good_rule/extra.py", "X = 1\n")
    assert len(problems_of(rule_repo)) == 2


def test_pasted_python_code_is_refused(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        PAGE,
        '    --8<-- "snippets/first/good_rule/avoid.py"\n',
        '    --8<-- "snippets/first/good_rule/avoid.py"\n    x: List[int] = []\n',
    )
    assert problems_of(rule_repo) == [
        f"{PAGE}:29: code pasted into a Python block: include it from a file with `--8<--`"
    ]


def test_other_code_blocks_may_hold_text(rule_repo: RuleRepo) -> None:
    text = (rule_repo.root / PAGE).read_text() + "\n```bash\nuv run pytest\n```\n"
    rule_repo.write(PAGE, text)
    (rule,) = load_rulebook(rule_repo.root).rules
    assert rule.id == "good-rule"


def test_avoid_snippet_needs_a_docstring(rule_repo: RuleRepo) -> None:
    rule_repo.write("snippets/first/good_rule/avoid.py", "from typing import List\n")
    assert problems_of(rule_repo) == [
        "snippets/first/good_rule/avoid.py:1: an Avoid snippet starts with a docstring saying "
        "what it does wrong (the Avoid summary shows it)"
    ]


def test_avoid_summary_is_the_docstrings_first_line(rule_repo: RuleRepo) -> None:
    (rule,) = load_rulebook(rule_repo.root).rules
    assert rule.avoid_summaries == ("Typing aliases from before Python 3.9: ruff flags them.",)


def test_proofs_are_read_with_their_docstrings(rule_repo: RuleRepo) -> None:
    (rule,) = load_rulebook(rule_repo.root).rules
    assert [(p.name, p.line, p.shows, p.avoid) for p in rule.proofs] == [
        ("test_do", 1, "`good()` returns 1.", False),
        ("test_avoid", 5, "The old alias is refused.", True),
    ]


def test_a_proof_needs_a_docstring_saying_what_it_shows(rule_repo: RuleRepo) -> None:
    rule_repo.edit(TEST_FILE, '    """The old alias is refused."""\n', "    pass\n")
    assert problems_of(rule_repo) == [
        f"{TEST_FILE}:5: `test_avoid` proves a rule and has no docstring saying what it shows "
        "(the page's table of proofs shows it)"
    ]


def test_an_avoid_proof_needs_its_evidence(rule_repo: RuleRepo) -> None:
    (rule_repo.root / EVIDENCE_FILE).unlink()
    assert problems_of(rule_repo) == [
        f"{PAGE}:12: `avoid_proofs`: no evidence file `{EVIDENCE_FILE}`: give the test the "
        "`evidence` fixture and run `uv run pytest --update-evidence "
        "'tests/rules/test_good.py::test_avoid'`"
    ]


def test_evidence_of_no_avoid_proof_is_refused(rule_repo: RuleRepo) -> None:
    rule_repo.write("evidence/rules/test_good/test_renamed.txt", "seen\n")
    assert problems_of(rule_repo) == [
        "evidence/rules/test_good/test_renamed.txt: evidence of no test in any page's "
        "`avoid_proofs` (delete it)"
    ]


def test_a_parametrized_avoid_proof_keeps_one_file_per_parameter(rule_repo: RuleRepo) -> None:
    (rule_repo.root / EVIDENCE_FILE).unlink()
    rule_repo.write("evidence/rules/test_good/test_avoid[sync].txt", "seen\n")
    rule_repo.write("evidence/rules/test_good/test_avoid[async].txt", "seen\n")
    (rule,) = load_rulebook(rule_repo.root).rules
    assert evidence_files(rule_repo.root, rule.avoid_proofs[0]) == [
        Path("evidence/rules/test_good/test_avoid[async].txt"),
        Path("evidence/rules/test_good/test_avoid[sync].txt"),
    ]


def test_the_evidence_marker_goes_in_the_avoid_tab(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "\n    [[evidence]]\n", "\n")
    rule_repo.edit(PAGE, '=== "Avoid"', '    [[evidence]]\n\n=== "Avoid"')
    assert problems_of(rule_repo) == [
        f'{PAGE}:25: needs one `    [[evidence]]` line inside the `=== "Avoid"` tab (what its '
        "proofs observed)"
    ]


def test_the_proofs_marker_goes_under_what_proves_it(rule_repo: RuleRepo) -> None:
    rule_repo.edit(PAGE, "## What proves it\n", "## Proofs\n")
    assert problems_of(rule_repo) == [
        f"{PAGE}:35: needs one `[[proofs]]` line under `## What proves it` (the table of proofs)"
    ]


def test_evidence_files_mirror_the_test_ids() -> None:
    assert evidence_file("tests/rules/a/test_b.py::test_c") == Path(
        "evidence/rules/a/test_b/test_c.txt"
    )
    assert evidence_file("tests/rules/a/test_b.py::TestX::test_c[v1.2]") == Path(
        "evidence/rules/a/test_b/TestX/test_c[v1.2].txt"
    )
    assert evidence_file("tests/rules/a/test_b.py::test_c[postgresql://h/db]") == Path(
        "evidence/rules/a/test_b/test_c[postgresql_h_db].txt"
    )
