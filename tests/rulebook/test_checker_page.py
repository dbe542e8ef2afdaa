"""The Checker page: its tables come from the checker's registry, the rule pages and the
committed findings file, whose verdicts hold the precision bar."""

import csv
import re

from fastapi_rulebook.lint.codes import CODES
from rulebook.markdown import (
    FINDINGS,
    current_rulebook,
    render_checker_codes,
    render_coverage,
    render_precision,
)
from tests.lint import ROOT


def findings() -> list[dict[str, str]]:
    with (ROOT / FINDINGS).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_findings_file_judges_every_finding_with_a_reason() -> None:
    rows = findings()
    assert len(rows) >= 100
    assert len({row["repository"] for row in rows}) >= 3
    for row in rows:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repository"]), row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert re.fullmatch(r"\S+\.py:[1-9][0-9]*", row["location"]), row
        assert row["code"] in CODES, row
        assert row["verdict"] in {"TP", "FP"}, row
        assert row["reason"].strip(), row
    false = sum(row["verdict"] == "FP" for row in rows)
    assert false <= 0.05 * len(rows)


def test_the_precision_table_counts_the_file() -> None:
    rows = findings()
    table = render_precision(ROOT)
    false = sum(row["verdict"] == "FP" for row in rows)
    assert (
        f"| **All** | | **{len(rows)}** | **{false}** ({100 * false / len(rows):.1f} %) |" in table
    )
    per_code = {line.split(" | ")[0][3:-1]: line for line in table if line.startswith("| `RB")}
    for code in {row["code"] for row in rows}:
        count = sum(row["code"] == code for row in rows)
        assert per_code[code].startswith(f"| `{code}` | {count} |")


def test_the_code_table_lists_every_code_of_the_registry_once() -> None:
    rulebook = current_rulebook(ROOT)
    titles = {rule.page.with_suffix("").as_posix(): rule.title for rule in rulebook.rules}
    rows = [line for line in render_checker_codes(rulebook) if line.startswith("| `RB")]
    assert [row.split("`")[1] for row in rows] == list(CODES)
    assert all(
        f"[{titles[code.page]}]({code.page}.md)" in row
        for code, row in zip(CODES.values(), rows, strict=True)
    )


def test_the_coverage_table_has_a_row_per_rule() -> None:
    rulebook = current_rulebook(ROOT)
    rows = [line for line in render_coverage(rulebook) if line.startswith("| [")]
    rules = list(rulebook.rules)
    assert len(rows) == len(rules)
    for rule, row in zip(rules, rows, strict=True):
        caught = ", ".join(f"`{code}`" for code in rule.caught_by) or "runtime only"
        assert row.startswith(f"| [{rule.title}]({rule.page.as_posix()}) | {caught} |")
