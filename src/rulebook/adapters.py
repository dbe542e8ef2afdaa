"""One adapter per target: the files it writes, in the format its tool documents.

Each adapter names the documentation it follows (the link is also on its target in
`fastapi_rulebook.install.tools.TARGETS`). Scoped files are named `fastapi-rulebook-<section>`
so that they sit beside a repository's own rule files without taking their names.
"""

from collections.abc import Callable

from fastapi_rulebook.install.tools import PREFIX, SKILL_DIR, SKILL_NAME, TARGETS
from rulebook.agents import Adapter, Book, compact_root

ADAPTERS: dict[str, Adapter] = {}


def adapter(target: str) -> Callable[[Adapter], Adapter]:
    def register(function: Adapter) -> Adapter:
        assert target in TARGETS, f"no target {target!r} in fastapi_rulebook.install.tools"
        ADAPTERS[target] = function
        return function

    return register


def _per_section(book: Book, folder: str, suffix: str, template: str) -> dict[str, str]:
    return {
        f"{folder}/{PREFIX}-{section.slug}{suffix}": book.scoped(template, section)
        for section in book.sections
    }


IMPORT_LINE = "@AGENTS.md"


def _importing_root(book: Book) -> str:
    """A file whose tool follows `@path` lines: it imports AGENTS.md instead of copying it."""
    return book.with_header(f"{IMPORT_LINE}\n")


@adapter("agents-md")
def agents_md(book: Book) -> dict[str, str]:
    """https://agents.md: plain Markdown, no front matter; the compact root."""
    return {"AGENTS.md": compact_root(book)}


@adapter("claude-md")
def claude_md(book: Book) -> dict[str, str]:
    """https://code.claude.com/docs/en/memory: CLAUDE.md imports files named on `@path` lines."""
    return {"CLAUDE.md": _importing_root(book)}


@adapter("claude-rules")
def claude_rules(book: Book) -> dict[str, str]:
    """https://code.claude.com/docs/en/memory: `.claude/rules/*.md`, `paths:` a list of globs."""
    return _per_section(book, ".claude/rules", ".md", "claude.md.j2")


@adapter("gemini-md")
def gemini_md(book: Book) -> dict[str, str]:
    """https://geminicli.com/docs/cli/gemini-md: GEMINI.md imports `@file.md`."""
    return {"GEMINI.md": _importing_root(book)}


@adapter("cursor-rules")
def cursor_rules(book: Book) -> dict[str, str]:
    """https://cursor.com/docs/context/rules: `.mdc` files with `description`, `globs` (a
    comma-separated list, unquoted as the docs write it) and `alwaysApply`."""
    return _per_section(book, ".cursor/rules", ".mdc", "cursor.mdc.j2")


@adapter("copilot-scoped")
def copilot_scoped(book: Book) -> dict[str, str]:
    """`.github/instructions/NAME.instructions.md`, `applyTo` a comma-separated string of globs:
    https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions
    """
    return _per_section(
        book, ".github/instructions", ".instructions.md", "copilot.instructions.md.j2"
    )


@adapter("devin-rules")
def devin_rules(book: Book) -> dict[str, str]:
    """https://docs.devin.ai/desktop/cascade/memories: `.devin/rules/*.md`, `trigger: glob`."""
    return _per_section(book, ".devin/rules", ".md", "windsurf.md.j2")


@adapter("windsurf-rules")
def windsurf_rules(book: Book) -> dict[str, str]:
    """https://docs.devin.ai/desktop/cascade/memories: `.windsurf/rules/*.md`, read by Windsurf
    and, where there is no `.devin/rules/`, by Devin Desktop."""
    return _per_section(book, ".windsurf/rules", ".md", "windsurf.md.j2")


@adapter("cline-rules")
def cline_rules(book: Book) -> dict[str, str]:
    """https://docs.cline.bot/features/cline-rules/conditional-rules: `.clinerules/*.md`,
    `paths:` a list of globs."""
    return _per_section(book, ".clinerules", ".md", "cline.md.j2")


@adapter("kiro-steering")
def kiro_steering(book: Book) -> dict[str, str]:
    """https://kiro.dev/docs/steering/: `inclusion: fileMatch` with `fileMatchPattern`."""
    return _per_section(book, ".kiro/steering", ".md", "kiro.md.j2")


@adapter("continue-rules")
def continue_rules(book: Book) -> dict[str, str]:
    """https://docs.continue.dev/customize/deep-dives/rules: `name` (required), `globs`,
    `alwaysApply`, `description`."""
    return _per_section(book, ".continue/rules", ".md", "continue.md.j2")


@adapter("junie")
def junie(book: Book) -> dict[str, str]:
    """https://www.jetbrains.com/help/junie/customize-guidelines.html: one file, every rule."""
    return {".junie/guidelines.md": book.file("full.md.j2")}


@adapter("amazonq-rules")
def amazonq_rules(book: Book) -> dict[str, str]:
    """Every Markdown file in `.amazonq/rules/`, always:
    https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html
    """
    return {f".amazonq/rules/{PREFIX}.md": book.file("full.md.j2")}


@adapter("roo-rules")
def roo_rules(book: Book) -> dict[str, str]:
    """https://docs.roocode.com/features/custom-instructions: every file in `.roo/rules/`,
    always, beside AGENTS.md, which has the rules' lines."""
    return {f".roo/rules/{PREFIX}.md": book.file("statements.md.j2")}


@adapter("zed-rules")
def zed_rules(book: Book) -> dict[str, str]:
    """https://zed.dev/docs/ai/rules: only the first file of its list, `.rules` first, so it
    holds every rule in full."""
    return {".rules": book.file("full.md.j2")}


@adapter("aider")
def aider(book: Book) -> dict[str, str]:
    """https://aider.chat/docs/usage/conventions.html: `read:` in `.aider.conf.yml`."""
    config = book.render("aider.conf.yml.j2")
    return {
        "CONVENTIONS.md": book.file("statements.md.j2"),
        ".aider.conf.yml": book.with_header(config, comment="# {}"),
    }


@adapter("skill")
def skill(book: Book) -> dict[str, str]:
    """https://agentskills.io/specification: `SKILL.md` with `name` and `description`, and
    reference files the model reads when it needs them."""
    files = {f"{SKILL_DIR}/SKILL.md": book.file("skill.md.j2", "skill.yml.j2", name=SKILL_NAME)}
    for section in book.sections:
        reference = book.file("reference.md.j2", section=section)
        files[f"{SKILL_DIR}/references/{section.slug}.md"] = reference
    return files


@adapter("cursorrules")
def cursorrules(book: Book) -> dict[str, str]:
    """https://cursor.com/docs/context/rules: the legacy single file, standing alone."""
    return {".cursorrules": compact_root(book)}


@adapter("windsurfrules")
def windsurfrules(book: Book) -> dict[str, str]:
    """https://docs.devin.ai/desktop/cascade/memories: the legacy single file, 6,000 characters:
    each rule's imperative, its code spans unwrapped."""
    return {".windsurfrules": book.file("windsurfrules.md.j2")}


@adapter("copilot-instructions")
def copilot_instructions(book: Book) -> dict[str, str]:
    """`.github/copilot-instructions.md`, standing alone for a repository without AGENTS.md
    (Copilot reads both, so `init` never installs it):
    https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions
    """
    return {".github/copilot-instructions.md": compact_root(book)}


missing = set(TARGETS) - set(ADAPTERS)
assert not missing, f"targets without an adapter: {sorted(missing)}"
