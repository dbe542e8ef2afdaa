"""A Python-Markdown extension that renders ``[[rule-card <id>]]`` from the rule source, and
``[[agent-files]]`` as the table of agent rule files to download, and ``[[stack-versions]]`` as
the table of pinned and locked versions.

It is a Markdown extension, not a MkDocs plugin, so any builder of ``mkdocs.yml`` that runs
Python-Markdown extensions (MkDocs, Zensical) renders the same card. The whole rule source is
validated before the first card is drawn: a bad source fails the build instead of yielding a
partial site.
"""

import os
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from rulebook.downloads import render_agent_files
from rulebook.matrix import load, newest_lock, run_environments, versions_page
from rulebook.source import CARD_RE, Rule, Rulebook, load_rulebook
from rulebook.versions import locked_versions, stack_table, tested_with

AGENT_FILES_MARKER = "[[agent-files]]"
STACK_MARKER = "[[stack-versions]]"
VERSIONS_MARKER = "[[versions-matrix]]"
DO_SUMMARY_MARKER = "[[do-summary]]"
AVOID_SUMMARY_MARKER = "[[avoid-summary]]"
WATCHED = ("docs", "snippets", "tests", "src", "mkdocs.yml", "uv.lock", "versions/matrix.json")
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


def _versions_of(packages: list[tuple[str, str]]) -> str:
    return " · ".join(
        f"Python {version}" if name == "python" else f"{name} {version}"
        for name, version in packages
    )


def _versions_line(rulebook: Rulebook, rule: Rule, files: list[Path]) -> list[str]:
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
        newest = tested_with(newest_lock(rulebook.root), files)
        others = ", ".join(e.title.lower() for e in environments[1:])
        also = f" and on the {others}" if others else ""
        return [f"    **Also holds on** {_versions_of(newest[1:])} (newest releases){also}", ""]
    links = " · ".join(
        f"[{runs[e.name]['status']} on the {e.title.lower()}](../versions.md#{e.name}-{rule.id})"
        for e in failing
    )
    return [f"    **Other versions** {links}", ""]


def render_card(rulebook: Rulebook, rule: Rule) -> list[str]:
    """The rule box: statement, the tests that prove it, the code's files, tested-with versions,
    and the whole of every file the page shows only a region of."""
    root = rulebook.root
    shown = list(dict.fromkeys(include.path for include in rule.includes))
    tests: dict[str, list[str]] = {}
    for node_id in rule.proven_by:
        file, _, name = node_id.partition("::")
        tests.setdefault(file, []).append(f"`{name}`")
    files = sorted({root / path for path in [*shown, *tests]})
    versions = _versions_of(tested_with(root / "uv.lock", files))
    proofs = "; ".join(f"{rulebook.source_link(f)}: {', '.join(n)}" for f, n in tests.items())
    lines = [
        '!!! abstract "The rule"',
        "",
        f"    {rule.statement}",
        "",
        f"    **Proven by** {proofs}",
        "",
        f"    **Code** {' · '.join(rulebook.source_link(path) for path in shown)}",
        "",
        f"    **Tested with** {versions}",
        "",
        *_versions_line(rulebook, rule, files),
    ]
    partial = list(dict.fromkeys(i.path for i in rule.includes if i.region is not None))
    if partial:
        lines += ['    ??? quote "View the full files this page shows parts of"', ""]
        for path in partial:
            language = FENCE_LANGUAGES.get(Path(path).suffix, "text")
            lines += [
                f'        ```{language} title="{path}"',
                f'        --8<-- "{path}"',
                "        ```",
                "",
            ]
    return lines


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


def render_avoid_summary(rulebook: Rulebook) -> list[str]:
    """What each rule's Avoid code does wrong (its module docstring), linked to the rule."""
    lines: list[str] = []
    for section in rulebook.sections:
        entries = [(rule, avoid) for rule in section.rules for avoid in rule.avoid_summaries]
        if entries:
            lines += [f"## {section.title}", ""]
            lines += [f"- {avoid} → [{rule.title}]({_page_link(rule)})" for rule, avoid in entries]
            lines.append("")
    return lines


class RuleCardPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, root: Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        output: list[str] = []
        for line in lines:
            if line.strip() == AGENT_FILES_MARKER:
                output.extend(render_agent_files(self.root))
                continue
            if line.strip() == STACK_MARKER:
                output.extend(stack_table(self.root))
                continue
            if line.strip() == VERSIONS_MARKER:
                pinned = locked_versions(self.root / "uv.lock")
                output.extend(versions_page(current_rulebook(self.root), load(self.root), pinned))
                continue
            if line.strip() == DO_SUMMARY_MARKER:
                output.extend(render_do_summary(current_rulebook(self.root)))
                continue
            if line.strip() == AVOID_SUMMARY_MARKER:
                output.extend(render_avoid_summary(current_rulebook(self.root)))
                continue
            match = CARD_RE.match(line)
            if match is None:
                output.append(line)
                continue
            rulebook = current_rulebook(self.root)
            rule = next((r for r in rulebook.rules if r.id == match["id"]), None)
            if rule is None:
                raise ValueError(f"[[rule-card {match['id']}]]: no rule with that id in docs/")
            output.extend(render_card(rulebook, rule))
        return output


class RuleCardExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"base_path": [".", "Repository root, relative to the working directory"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        root = Path(str(self.getConfig("base_path")))
        # Before pymdownx.snippets (32), so the card's text is never taken for an include.
        md.preprocessors.register(RuleCardPreprocessor(md, root), "rule_card", 40)


def makeExtension(**kwargs: Any) -> RuleCardExtension:
    return RuleCardExtension(**kwargs)


__all__ = ["RuleCardExtension", "makeExtension"]
