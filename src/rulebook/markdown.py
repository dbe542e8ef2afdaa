"""A Python-Markdown extension that renders ``[[rule-card <id>]]`` from the rule source, and
``[[agent-files]]`` as the table of agent rule files to download, and ``[[stack-versions]]`` as
the table of pinned and locked versions.

It is a Markdown extension, not a MkDocs plugin, so any builder of ``mkdocs.yml`` that runs
Python-Markdown extensions (MkDocs, Zensical) renders the same card. The whole rule source is
validated before the first card is drawn: a bad source fails the build instead of yielding a
partial site.
"""

import csv
import os
import re
import xml.etree.ElementTree as etree
from functools import cache, partial
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from fastapi_rulebook.lint.codes import CODES
from rulebook.downloads import render_agent_files
from rulebook.matrix import load, newest_lock, run_environments, versions_page
from rulebook.proofs import render_evidence, render_proofs
from rulebook.source import CARD_RE, EVIDENCE_MARKER, PROOFS_MARKER, Rule, Rulebook, load_rulebook
from rulebook.versions import locked_versions, stack_table, tested_with

AGENT_FILES_MARKER = "[[agent-files]]"
STACK_MARKER = "[[stack-versions]]"
VERSIONS_MARKER = "[[versions-matrix]]"
DO_SUMMARY_MARKER = "[[do-summary]]"
CHECKER_CODES_MARKER = "[[checker-codes]]"
COVERAGE_MARKER = "[[coverage-table]]"
PRECISION_MARKER = "[[checker-precision]]"
FINDINGS = Path("docs/checker/findings.csv")  # lint run on public code bases, each judged
CHECKER_PAGE = "../checker.md"  # from a rule page, one folder down
AVOID_SUMMARY_MARKER = "[[avoid-summary]]"
RULE_INDEX_MARKER = "[[rule-index]]"
WATCHED = (
    *("docs", "snippets", "tests", "src", "evidence"),
    *("mkdocs.yml", "uv.lock", "versions/matrix.json"),
)
_cache: dict[Path, tuple[tuple[tuple[str, int], ...], Rulebook]] = {}


def _signature(root: Path) -> tuple[tuple[str, int], ...]:
    """Modification times of everything a card depends on, to reload only after a change."""
    stamps: list[tuple[str, int]] = []
    for name in WATCHED:
        path = root / name
        if path.is_file():
            stamps.append((name, path.stat().st_mtime_ns))
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            stamps.extend((f"{folder}/{f}", os.stat(f"{folder}/{f}").st_mtime_ns) for f in files)
    return tuple(sorted(stamps))


def current_rulebook(root: Path) -> Rulebook:
    root = root.resolve()
    signature = _signature(root)
    cached = _cache.get(root)
    if cached is None or cached[0] != signature:
        _cache[root] = (signature, load_rulebook(root))
    return _cache[root][1]


FENCE_LANGUAGES = {".py": "python", ".toml": "toml", ".sh": "bash", ".ini": "ini", ".yml": "yaml"}


def _caught_by_line(rule: Rule) -> list[str]:
    """Which static checks catch the Avoid, each linked to its documentation; or, when none
    can, that only running the code shows the mistake."""
    if not rule.caught_by:
        return ["    **Caught by** nothing static: only the tests show it (runtime only)", ""]
    return [f"    **Caught by** {' · '.join(map(caught_by_link, rule.caught_by))}", ""]


def caught_by_link(code: str) -> str:
    """A `caught_by` entry as a link: RB codes to the Checker page, ruff and mypy codes to
    their tools' documentation."""
    tool, _, name = code.rpartition(":")
    if tool == "ruff":
        return f"[ruff `{name}`](https://docs.astral.sh/ruff/rules/)"
    if tool == "mypy":
        return f"[mypy `{name}`](https://mypy.readthedocs.io/en/stable/error_code_list2.html)"
    return f"[`{code}`]({CHECKER_PAGE})"


PROOFS_ANCHOR = "#what-proves-it"  # every rule page's "## What proves it"


def _statement_lines(rule: Rule) -> list[str]:
    return [f"    {rule.statement}", ""]


def _proof_files(rule: Rule) -> list[str]:
    return list(dict.fromkeys(node_id.partition("::")[0] for node_id in rule.proven_by))


def _card_files(rulebook: Rulebook, rule: Rule) -> list[Path]:
    """The files whose imports decide the versions the card names: the page's code and tests."""
    root = rulebook.root
    files = {root / include.path for include in rule.includes} | {
        root / file for file in _proof_files(rule)
    }
    return sorted(files)


def _versions_of(packages: list[tuple[str, str]]) -> str:
    return " · ".join(
        f"Python {version}" if name == "python" else f"{name} {version}"
        for name, version in packages
    )


def _tested_with_line(rulebook: Rulebook, rule: Rule) -> list[str]:
    """The locked versions of what the page's code and its tests import."""
    versions = _versions_of(tested_with(rulebook.root / "uv.lock", _card_files(rulebook, rule)))
    return [f"    **Tested with** {versions}", ""]


def _versions_line(rulebook: Rulebook, rule: Rule) -> list[str]:
    """Where the proofs also pass (the newest releases' versions of what the rule's code
    imports), or a link to what differs or breaks there, from the committed matrix."""
    data = load(rulebook.root)
    if data is None:
        return []
    runs = data["rules"].get(rule.id)
    if runs is None:
        return ["    **Other versions** not run yet: `uv run rulebook versions`", ""]
    environments = run_environments(data)
    failing = [e for e in environments if runs[e.name]["status"] != "holds"]
    if not failing:
        newest = tested_with(newest_lock(rulebook.root), _card_files(rulebook, rule))
        others = ", ".join(e.title.lower() for e in environments[1:])
        also = f" and on the {others}" if others else ""
        return [f"    **Also holds on** {_versions_of(newest[1:])} (newest releases){also}", ""]
    links = " · ".join(
        f"[{runs[e.name]['status']} on the {e.title.lower()}](../versions.md#{e.name}-{rule.id})"
        for e in failing
    )
    return [f"    **Other versions** {links}", ""]


def _proofs_line(rulebook: Rulebook, rule: Rule) -> list[str]:
    """How many tests prove the rule, linked to the page's table of what each shows."""
    count = len(rule.proven_by)
    files = ", ".join(rulebook.source_link(file) for file in _proof_files(rule))
    tests = f"{count} test{'s' if count != 1 else ''}"
    return [f"    **Proven by** [{tests}: what each shows]({PROOFS_ANCHOR}) · {files}", ""]


def _full_files_lines(rule: Rule) -> list[str]:
    """The whole of every file the page shows only a region of, folded."""
    partial = list(dict.fromkeys(i.path for i in rule.includes if i.region is not None))
    if not partial:
        return []
    lines = ['    ??? quote "View the full files this page shows parts of"', ""]
    for path in partial:
        language = FENCE_LANGUAGES.get(Path(path).suffix, "text")
        lines += [
            f'        ```{language} title="{path}"',
            f'        --8<-- "{path}"',
            "        ```",
            "",
        ]
    return lines


def render_card(rulebook: Rulebook, rule: Rule) -> list[str]:
    """The rule box, short enough that the Do/Avoid tabs start on the first screen: the rule,
    the versions it was tested with, a link to its proofs, and the full files folded."""
    return [
        '!!! abstract "The rule"',
        "",
        *_statement_lines(rule),
        *_caught_by_line(rule),
        *_tested_with_line(rulebook, rule),
        *_versions_line(rulebook, rule),
        *_proofs_line(rulebook, rule),
        *_full_files_lines(rule),
    ]


def render_checker_codes(rulebook: Rulebook) -> list[str]:
    """The table of every `fastapi-rulebook lint` code, from the checker's own registry. Rules
    are named by title, not page path, so the table does not outrank the rule pages in search."""
    titles = {rule.page.with_suffix("").as_posix(): rule.title for rule in rulebook.rules}
    lines = ["| Code | Rule | Message (what is wrong; the fix) |", "| --- | --- | --- |"]
    for code in CODES.values():
        message = code.message.replace("|", "\\|")
        lines.append(f"| `{code.code}` | [{titles[code.page]}]({code.page}.md) | {message} |")
    return [*lines, ""]


def render_coverage(rulebook: Rulebook) -> list[str]:
    """Every rule: the static checks that catch its Avoid, and the tests that prove it."""
    lines = ["| Rule | Caught by | Proven by |", "| --- | --- | --- |"]
    for rule in rulebook.rules:
        caught = ", ".join(f"`{code}`" for code in rule.caught_by) or "runtime only"
        proofs = ", ".join(f"`{node_id.partition('::')[2]}`" for node_id in rule.proven_by)
        lines.append(f"| [{rule.title}]({rule.page.as_posix()}) | {caught} | {proofs} |")
    return [*lines, ""]


def render_precision(root: Path) -> list[str]:
    """Counts per repository and per code of the judged findings, and every reason given for
    a false positive."""
    with (root / FINDINGS).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    lines = ["| Repository | Commit | Findings | False positives |", "| --- | --- | --- | --- |"]
    for repository in dict.fromkeys(row["repository"] for row in rows):
        mine = [row for row in rows if row["repository"] == repository]
        false = sum(row["verdict"] == "FP" for row in mine)
        lines.append(f"| {repository} | `{mine[0]['commit'][:12]}` | {len(mine)} | {false} |")
    total_false = sum(row["verdict"] == "FP" for row in rows)
    share = f"{100 * total_false / len(rows):.1f} %"
    lines += [f"| **All** | | **{len(rows)}** | **{total_false}** ({share}) |", ""]
    lines += ["| Code | Findings | True | False |", "| --- | --- | --- | --- |"]
    for code in sorted({row["code"] for row in rows}):
        verdicts = [row["verdict"] for row in rows if row["code"] == code]
        true, false = verdicts.count("TP"), verdicts.count("FP")
        lines.append(f"| `{code}` | {len(verdicts)} | {true} | {false} |")
    reasons = sorted({row["reason"] for row in rows if row["verdict"] == "FP"})
    lines += ["", "False positives, by reason:", ""]
    lines += [f"- {reason}" for reason in reasons] or ["- none in this run"]
    return [*lines, ""]


def _page_link(rule: Rule) -> str:
    # Summary pages live one folder down (summary/), rule pages in their section's folder.
    return f"../{rule.page.as_posix()}"


def render_do_summary(rulebook: Rulebook) -> list[str]:
    """Every rule's title, which says what to do, linked to its page, by section."""
    lines: list[str] = []
    for section in rulebook.sections:
        if section.rules:
            lines += [f"## {section.title}", ""]
            lines += [f"- [{rule.title}]({_page_link(rule)})" for rule in section.rules]
            lines.append("")
    return lines


def _avoid_files(rule: Rule) -> list[str]:
    """The files the page's Avoid shows: `avoid.*`, or the modules of an `avoid/` package."""
    return list(
        dict.fromkeys(
            include.path
            for include in rule.includes
            if Path(include.path).stem == "avoid" or "avoid" in Path(include.path).parent.parts
        )
    )


def render_avoid_summary(rulebook: Rulebook) -> list[str]:
    """What each rule's Avoid code does wrong (its module docstring), linked to the rule; then
    every rule whose Avoid has no docstring to summarise, with the file it shows instead."""
    lines: list[str] = []
    for section in rulebook.sections:
        entries = [(rule, avoid) for rule in section.rules for avoid in rule.avoid_summaries]
        if entries:
            lines += [f"## {section.title}", ""]
            lines += [f"- {avoid} → [{rule.title}]({_page_link(rule)})" for rule, avoid in entries]
            lines.append("")
    unsummarised = [rule for rule in rulebook.rules if not rule.avoid_summaries]
    if unsummarised:
        lines += [
            "## Avoids that are not Python",
            "",
            "These rules' Avoid is a dependency list, a command, a layout, a diff or SQL, with no "
            "docstring to summarise: the page shows the file and says what it does wrong.",
            "",
        ]
        for rule in unsummarised:
            files = ", ".join(f"`{Path(path).name}`" for path in _avoid_files(rule))
            shown = f"its Avoid is {files}" if files else "its Avoid is prose on the page"
            lines.append(f"- [{rule.title}]({_page_link(rule)}): {shown}")
        lines.append("")
    return lines


def _index_terms(rule: Rule, section: str) -> str:
    """The words the home page's filter matches a rule by: its id, title, line, section and
    full statement, lower case, every other character a space (nothing to quote or escape)."""
    text = " ".join([rule.id, rule.title, rule.imperative, section, rule.statement])
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def render_rule_index(rulebook: Rulebook) -> list[str]:
    """Every rule, in the rule set's order: its title linked to its page, its one line (the
    imperative) and its section, in a table that docs/assets/rule-index.js filters in place.
    Left out of the search, so a rule's words find the rule's own page first."""
    count = sum(len(section.rules) for section in rulebook.sections)
    lines = [
        '<div class="rulebook-index" markdown data-search-exclude="true">',
        "",
        '<input class="rulebook-index__filter" type="search" autocomplete="off" '
        f'placeholder="Filter the {count} rules: an API, a word, a section" '
        'aria-label="Filter the rules">',
        f'<p class="rulebook-index__count" aria-live="polite">{count} rules</p>',
        "",
        "| Rule | What to write | Section |",
        "| --- | --- | --- |",
    ]
    for section in rulebook.sections:
        for rule in section.rules:
            terms = _index_terms(rule, section.title)
            lines.append(
                f'| [{rule.title}]({rule.page.as_posix()}){{ data-terms="{terms}" }} '
                f"| {rule.imperative} | [{section.title}]({section.folder}/index.md) |"
            )
    return [*lines, "", "</div>", ""]


class RuleCardPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, root: Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        output: list[str] = []
        page_rule: Rule | None = None  # the rule of the page's card: the markers after it
        # Checked for changes once per page: a rule page has three markers that need it.
        rulebook = cache(partial(current_rulebook, self.root))
        for line in lines:
            if line.strip() == AGENT_FILES_MARKER:
                output.extend(render_agent_files(self.root))
                continue
            if line.strip() == STACK_MARKER:
                output.extend(stack_table(self.root))
                continue
            if line.strip() == VERSIONS_MARKER:
                pinned = locked_versions(self.root / "uv.lock")
                output.extend(versions_page(rulebook(), load(self.root), pinned))
                continue
            if line.strip() == DO_SUMMARY_MARKER:
                output.extend(render_do_summary(rulebook()))
                continue
            if line.strip() == CHECKER_CODES_MARKER:
                output.extend(render_checker_codes(rulebook()))
                continue
            if line.strip() == PRECISION_MARKER:
                output.extend(render_precision(self.root))
                continue
            if line.strip() == COVERAGE_MARKER:
                output.extend(render_coverage(rulebook()))
                continue
            if line.strip() == RULE_INDEX_MARKER:
                output.extend(render_rule_index(rulebook()))
                continue
            if line.strip() == AVOID_SUMMARY_MARKER:
                output.extend(render_avoid_summary(rulebook()))
                continue
            if line.strip() in (PROOFS_MARKER, EVIDENCE_MARKER):
                if page_rule is None:
                    raise ValueError(f"{line.strip()} before the page's [[rule-card ...]] line")
                if line.strip() == PROOFS_MARKER:
                    output.extend(render_proofs(rulebook(), page_rule))
                else:
                    indent = line[: len(line) - len(line.lstrip())]
                    output.extend(render_evidence(rulebook(), page_rule, indent))
                continue
            match = CARD_RE.match(line)
            if match is None:
                output.append(line)
                continue
            page_rule = next((r for r in rulebook().rules if r.id == match["id"]), None)
            if page_rule is None:
                raise ValueError(f"[[rule-card {match['id']}]]: no rule with that id in docs/")
            output.extend(render_card(rulebook(), page_rule))
        return output


# The CSS class each content tab label gets (docs/assets/rulebook.css draws its marker).
TAB_KINDS = {"Do": "rulebook-do", "Avoid": "rulebook-avoid"}
AVOID_CUE = "Don't copy: this code is wrong on purpose. What proves it shows how it fails."


def _has_class(element: etree.Element, name: str) -> bool:
    return name in element.get("class", "").split()


def _add_class(element: etree.Element, name: str) -> None:
    element.set("class", f"{element.get('class', '')} {name}".strip())


class DoAvoidTreeprocessor(Treeprocessor):
    """Marks each Do and Avoid tab, its label and its block, so the site's CSS tells them apart
    at a glance, and opens every Avoid with a "don't copy" cue."""

    def run(self, root: etree.Element) -> None:
        for tabs in root.iter("div"):
            if not _has_class(tabs, "tabbed-set"):
                continue
            labels = next((d for d in tabs if _has_class(d, "tabbed-labels")), None)
            content = next((d for d in tabs if _has_class(d, "tabbed-content")), None)
            if labels is None or content is None:
                continue
            for label, block in zip(labels.findall("label"), content, strict=False):
                kind = TAB_KINDS.get((label.text or "").strip())
                if kind is None:
                    continue
                _add_class(label, kind)
                _add_class(block, kind)
                # Without a space, search and reader text run the labels together ("DoAvoid").
                label.tail = " "
                if kind == TAB_KINDS["Avoid"]:
                    cue = etree.Element("p", {"class": "rulebook-avoid-cue"})
                    cue.text = AVOID_CUE
                    block.insert(0, cue)


class RuleCardExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"base_path": [".", "Repository root, relative to the working directory"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        root = Path(str(self.getConfig("base_path")))
        # Before pymdownx.snippets (32), so the card's text is never taken for an include.
        md.preprocessors.register(RuleCardPreprocessor(md, root), "rule_card", 40)
        # Content tabs are built by block processors: the tree holds them from here on.
        md.treeprocessors.register(DoAvoidTreeprocessor(md), "do_avoid_tabs", 5)


def makeExtension(**kwargs: Any) -> RuleCardExtension:
    return RuleCardExtension(**kwargs)


__all__ = ["RuleCardExtension", "makeExtension"]
