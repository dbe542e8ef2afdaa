"""What each coding agent reads, as its own documentation states it: the one place for it.

The generator writes one set of files per target (`TARGETS`); the installer writes the targets
of the tools a repository uses (`TOOLS`); the downloads page lists both; the tests read each
tool's `reads` to check that an installed repository gives it every rule, and each rule once.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Limit:
    size: int
    unit: str  # "bytes" or "characters", as the tool counts
    documented_by: str

    def measure(self, text: str) -> int:
        return len(text.encode()) if self.unit == "bytes" else len(text)


class Follows(StrEnum):
    AT_LINES = "@path lines"  # a line `@AGENTS.md` loads that file (Claude Code, Gemini CLI)
    READ_LIST = "its read: list"  # Aider's configuration names the files it reads


class When(StrEnum):
    ALWAYS = "always"  # loaded into every request
    MATCHING = "matching"  # loaded when a file its front matter scopes is in context
    ON_DEMAND = "on demand"  # a skill: its description is listed, the model loads the rest
    FIRST_MATCH = "first match"  # only the first of these files that exists is read


@dataclass(frozen=True)
class Read:
    """Files a tool loads: a glob relative to the repository root."""

    pattern: str
    when: When
    doc: str
    limit: Limit | None = None
    unless: str | None = None  # not read when this path exists (a documented fallback)
    follows: Follows | None = None  # the file loads the files it names this way


@dataclass(frozen=True)
class Target:
    """One set of generated files (its adapter is in `rulebook.adapters`)."""

    id: str
    summary: str
    doc: str
    one_file: bool = False  # one file (else several: one per section, or a set)
    standalone: bool = False  # a single file meant to stand alone, not installed by default


@dataclass(frozen=True)
class Tool:
    id: str  # as `fastapi-rulebook init --tool` takes it
    name: str
    detect: tuple[str, ...]  # a repository with any of these paths uses the tool
    targets: tuple[str, ...]  # installed for it, besides the root AGENTS.md
    reads: tuple[Read, ...]
    note: str = ""


# Each tool's documented limits.
ROOT_LIMIT = Limit(
    12_000,
    "characters",
    "Devin Desktop: 12,000 characters per rule file, AGENTS.md included; it leaves most of "
    "Codex's 32 KiB for the repository's own AGENTS.md files",
)
# The root file's share of ROOT_LIMIT stops short of it: the installer keeps a repository's own
# AGENTS.md text above the rules' block, and the two together must still fit.
USER_ROOM = 300
CODEX_AGENTS_MD = Limit(32 * 1024, "bytes", "Codex `project_doc_max_bytes`, all AGENTS.md files")
DEVIN_RULE_FILE = Limit(12_000, "characters", "Devin Desktop: each rule file")
WINDSURF_SINGLE = Limit(6_000, "characters", "Devin Desktop (Windsurf): `.windsurfrules`")

CODEX_DOC = "https://learn.chatgpt.com/docs/agent-configuration/agents-md"
CODEX_SKILLS_DOC = "https://developers.openai.com/codex/skills"
CLAUDE_DOC = "https://code.claude.com/docs/en/memory"
CLAUDE_SKILLS_DOC = "https://code.claude.com/docs/en/skills"
CURSOR_DOC = "https://cursor.com/docs/context/rules"
CURSOR_SKILLS_DOC = "https://cursor.com/docs/context/skills"
COPILOT_DOC = (
    "https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/"
    "add-repository-instructions"
)
COPILOT_SKILLS_DOC = "https://docs.github.com/en/copilot/concepts/agents/about-agent-skills"
GEMINI_DOC = "https://geminicli.com/docs/cli/gemini-md"
GEMINI_SKILLS_DOC = "https://geminicli.com/docs/cli/creating-skills"
DEVIN_DOC = "https://docs.devin.ai/desktop/devin-local/customizations"
DEVIN_MEMORIES_DOC = "https://docs.devin.ai/desktop/cascade/memories"
CLINE_DOC = "https://docs.cline.bot/customization/cline-rules"
CLINE_PATHS_DOC = "https://docs.cline.bot/features/cline-rules/conditional-rules"
KIRO_DOC = "https://kiro.dev/docs/steering/"
JUNIE_DOC = "https://www.jetbrains.com/help/junie/customize-guidelines.html"
CONTINUE_DOC = "https://docs.continue.dev/customize/deep-dives/rules"
AMAZONQ_DOC = "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html"
ROO_DOC = "https://docs.roocode.com/features/custom-instructions"
ZED_DOC = "https://zed.dev/docs/ai/rules"
AIDER_DOC = "https://aider.chat/docs/usage/conventions.html"
SKILLS_SPEC = "https://agentskills.io/specification"

SKILL_NAME = "fastapi-rulebook"
SKILL_DIR = f".agents/skills/{SKILL_NAME}"
PREFIX = "fastapi-rulebook"  # scoped files are named `fastapi-rulebook-<section>`, beside yours

TARGETS = {
    t.id: t
    for t in (
        Target("agents-md", "AGENTS.md: the compact root, one line per rule", CODEX_DOC, True),
        Target("claude-md", "CLAUDE.md importing AGENTS.md (`@AGENTS.md`)", CLAUDE_DOC, True),
        Target("claude-rules", "`.claude/rules/`: full statements, `paths:` scoped", CLAUDE_DOC),
        Target("gemini-md", "GEMINI.md importing AGENTS.md (`@AGENTS.md`)", GEMINI_DOC, True),
        Target(
            "cursor-rules", "`.cursor/rules/*.mdc`: full statements, `globs` scoped", CURSOR_DOC
        ),
        Target(
            "copilot-scoped",
            "`.github/instructions/`: full statements, `applyTo` scoped",
            COPILOT_DOC,
        ),
        Target(
            "devin-rules", "`.devin/rules/`: full statements, `trigger: glob`", DEVIN_MEMORIES_DOC
        ),
        Target(
            "windsurf-rules",
            "`.windsurf/rules/`: full statements, `trigger: glob` (Windsurf before Devin Desktop)",
            DEVIN_MEMORIES_DOC,
        ),
        Target("cline-rules", "`.clinerules/`: full statements, `paths:` scoped", CLINE_PATHS_DOC),
        Target(
            "kiro-steering", "`.kiro/steering/`: full statements, `inclusion: fileMatch`", KIRO_DOC
        ),
        Target(
            "continue-rules", "`.continue/rules/`: full statements, `globs` scoped", CONTINUE_DOC
        ),
        Target("junie", "`.junie/guidelines.md`: every rule in full", JUNIE_DOC, True),
        Target("amazonq-rules", "`.amazonq/rules/`: every rule in full", AMAZONQ_DOC, True),
        Target(
            "roo-rules", "`.roo/rules/`: full statements (AGENTS.md has the root)", ROO_DOC, True
        ),
        Target(
            "zed-rules", "`.rules`: every rule in full (Zed reads only one file)", ZED_DOC, True
        ),
        Target("aider", "CONVENTIONS.md and the `.aider.conf.yml` line that reads it", AIDER_DOC),
        Target(
            "skill",
            f"`{SKILL_DIR}/`: an Agent Skill, one reference file per section",
            SKILLS_SPEC,
        ),
        Target("cursorrules", "`.cursorrules`: the compact root alone", CURSOR_DOC, True, True),
        Target(
            "windsurfrules",
            "`.windsurfrules`: every rule's line, within 6,000 characters",
            DEVIN_MEMORIES_DOC,
            True,
            True,
        ),
        Target(
            "copilot-instructions",
            "`.github/copilot-instructions.md`: the compact root alone",
            COPILOT_DOC,
            True,
            True,
        ),
    )
}

AGENTS_SKILLS = ".agents/skills/*/**"

TOOLS = {
    t.id: t
    for t in (
        Tool(
            "codex",
            "Codex",
            (".codex", ".agents"),
            ("skill",),
            (
                Read("AGENTS.md", When.ALWAYS, CODEX_DOC, CODEX_AGENTS_MD),
                Read(AGENTS_SKILLS, When.ON_DEMAND, CODEX_SKILLS_DOC),
            ),
        ),
        Tool(
            "claude",
            "Claude Code",
            (".claude", "CLAUDE.md"),
            ("claude-md", "claude-rules"),
            (
                Read("CLAUDE.md", When.ALWAYS, CLAUDE_DOC, follows=Follows.AT_LINES),
                Read(".claude/rules/**/*.md", When.MATCHING, CLAUDE_DOC),
                Read(".claude/skills/*/**", When.ON_DEMAND, CLAUDE_SKILLS_DOC),
            ),
            "Claude Code reads skills only from `.claude/skills/`; its path-scoped "
            "`.claude/rules/` carry the full statements, so no skill is installed for it.",
        ),
        Tool(
            "cursor",
            "Cursor",
            (".cursor", ".cursorrules"),
            ("cursor-rules",),
            (
                Read("AGENTS.md", When.ALWAYS, CURSOR_DOC),
                Read("CLAUDE.md", When.ALWAYS, CURSOR_DOC),  # as written: imports not followed
                Read(".cursor/rules/**/*.mdc", When.MATCHING, CURSOR_DOC),
                Read(".cursorrules", When.ALWAYS, CURSOR_DOC),
                Read(".cursor/skills/*/**", When.ON_DEMAND, CURSOR_SKILLS_DOC),
                Read(AGENTS_SKILLS, When.ON_DEMAND, CURSOR_SKILLS_DOC),
            ),
        ),
        Tool(
            "copilot",
            "GitHub Copilot",
            (".github/copilot-instructions.md", ".github/instructions"),
            ("copilot-scoped",),
            (
                Read(".github/copilot-instructions.md", When.ALWAYS, COPILOT_DOC),
                Read(".github/instructions/**/*.instructions.md", When.MATCHING, COPILOT_DOC),
                # The nearest AGENTS.md, or else a root CLAUDE.md or GEMINI.md, read as written.
                Read("AGENTS.md", When.FIRST_MATCH, COPILOT_DOC),
                Read("CLAUDE.md", When.FIRST_MATCH, COPILOT_DOC),
                Read("GEMINI.md", When.FIRST_MATCH, COPILOT_DOC),
                Read(".github/skills/*/**", When.ON_DEMAND, COPILOT_SKILLS_DOC),
                Read(".claude/skills/*/**", When.ON_DEMAND, COPILOT_SKILLS_DOC),
                Read(AGENTS_SKILLS, When.ON_DEMAND, COPILOT_SKILLS_DOC),
            ),
            "Copilot code review reads `.github/copilot-instructions.md` and the path-specific "
            "instructions, not AGENTS.md.",
        ),
        Tool(
            "gemini",
            "Gemini CLI",
            (".gemini", "GEMINI.md"),
            ("gemini-md", "skill"),
            (
                Read("GEMINI.md", When.ALWAYS, GEMINI_DOC, follows=Follows.AT_LINES),
                Read(".gemini/skills/*/**", When.ON_DEMAND, GEMINI_SKILLS_DOC),
                Read(AGENTS_SKILLS, When.ON_DEMAND, GEMINI_SKILLS_DOC),
            ),
        ),
        Tool(
            "devin",
            "Devin Desktop",
            (".devin",),
            ("devin-rules",),
            (
                Read("AGENTS.md", When.ALWAYS, DEVIN_DOC, ROOT_LIMIT),
                Read("CLAUDE.md", When.ALWAYS, DEVIN_DOC),  # as a rule, its imports not followed
                Read(".devin/rules/*.md", When.MATCHING, DEVIN_MEMORIES_DOC, DEVIN_RULE_FILE),
                Read(
                    ".windsurf/rules/*.md",
                    When.MATCHING,
                    DEVIN_MEMORIES_DOC,
                    DEVIN_RULE_FILE,
                    unless=".devin/rules",
                ),
                Read(".windsurfrules", When.ALWAYS, DEVIN_MEMORIES_DOC, WINDSURF_SINGLE),
                Read(AGENTS_SKILLS, When.ON_DEMAND, DEVIN_DOC),
            ),
            "Formerly Windsurf: `.devin/rules/` takes precedence over `.windsurf/rules/`.",
        ),
        Tool(
            "windsurf",
            "Windsurf (before Devin Desktop)",
            (".windsurf", ".windsurfrules"),
            ("windsurf-rules",),
            (
                Read("AGENTS.md", When.ALWAYS, DEVIN_MEMORIES_DOC, ROOT_LIMIT),
                Read(".windsurf/rules/*.md", When.MATCHING, DEVIN_MEMORIES_DOC, DEVIN_RULE_FILE),
                Read(".windsurfrules", When.ALWAYS, DEVIN_MEMORIES_DOC, WINDSURF_SINGLE),
            ),
        ),
        Tool(
            "cline",
            "Cline",
            (".clinerules",),
            ("cline-rules",),
            (
                Read(".clinerules/*.md", When.MATCHING, CLINE_PATHS_DOC),
                Read("AGENTS.md", When.ALWAYS, CLINE_DOC),
                Read(".cursor/rules/*.mdc", When.MATCHING, CLINE_DOC, unless=".clinerules"),
                Read(".windsurf/rules/*.md", When.MATCHING, CLINE_DOC, unless=".clinerules"),
            ),
        ),
        Tool(
            "kiro",
            "Kiro",
            (".kiro",),
            ("kiro-steering",),
            (
                Read(".kiro/steering/*.md", When.MATCHING, KIRO_DOC),
                Read("AGENTS.md", When.ALWAYS, KIRO_DOC),
            ),
        ),
        Tool(
            "junie",
            "JetBrains Junie",
            (".junie",),
            ("junie",),
            (Read(".junie/guidelines.md", When.ALWAYS, JUNIE_DOC),),
            "Junie reads AGENTS.md only when its Guidelines path setting names it.",
        ),
        Tool(
            "continue",
            "Continue",
            (".continue",),
            ("continue-rules",),
            (Read(".continue/rules/*.md", When.MATCHING, CONTINUE_DOC),),
        ),
        Tool(
            "amazonq",
            "Amazon Q Developer",
            (".amazonq",),
            ("amazonq-rules",),
            (Read(".amazonq/rules/**/*.md", When.ALWAYS, AMAZONQ_DOC),),
        ),
        Tool(
            "roo",
            "Roo Code",
            (".roo", ".roorules"),
            ("roo-rules",),
            (
                Read(".roo/rules/**/*", When.ALWAYS, ROO_DOC),
                Read("AGENTS.md", When.ALWAYS, ROO_DOC),
            ),
        ),
        Tool(
            "zed",
            "Zed",
            (".zed", ".rules"),
            ("zed-rules",),
            tuple(
                Read(name, When.FIRST_MATCH, ZED_DOC)
                for name in (
                    ".rules",
                    ".cursorrules",
                    ".windsurfrules",
                    ".clinerules",
                    ".github/copilot-instructions.md",
                    "AGENT.md",
                    "AGENTS.md",
                    "CLAUDE.md",
                    "GEMINI.md",
                )
            ),
            "Zed reads the first of its list of names that is a file: `.rules` comes first.",
        ),
        Tool(
            "aider",
            "Aider",
            (".aider.conf.yml",),
            ("aider",),
            (Read(".aider.conf.yml", When.ALWAYS, AIDER_DOC, follows=Follows.READ_LIST),),
        ),
    )
}


def matches(path: str, pattern: str) -> bool:
    """Whether a repository path matches a glob, `**` spanning any number of folders."""
    return PurePosixPath(path).full_match(pattern)


def limits_of(path: str) -> list[tuple[Tool, Limit]]:
    """Every documented limit that applies to a file at `path`, with the tool that sets it."""
    return [
        (tool, read.limit)
        for tool in TOOLS.values()
        for read in tool.reads
        if read.limit is not None and matches(path, read.pattern)
    ]


def read_set(root: Path, tool: Tool) -> tuple[dict[str, str], dict[str, str]]:
    """What a tool loads from a repository, as its reads describe: the files it loads by
    itself (always, or with the files they scope), and the skill files it may load on demand."""
    present = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    )
    loaded: dict[str, str] = {}
    skills: dict[str, str] = {}
    first_match_done = False
    for read in tool.reads:
        if read.unless and (root / read.unless).exists():
            continue
        found = [path for path in present if matches(path, read.pattern)]
        if read.when == When.FIRST_MATCH:
            if first_match_done or not found:
                continue
            first_match_done, found = True, found[:1]
        into = skills if read.when == When.ON_DEMAND else loaded
        for path in found:
            text = (root / path).read_text(encoding="utf-8")
            into[path] = text
            for named in _followed(text, read.follows):
                if (root / named).is_file():
                    loaded[named] = (root / named).read_text(encoding="utf-8")
    return loaded, skills


def _followed(text: str, follows: Follows | None) -> list[str]:
    if follows == Follows.AT_LINES:
        return [line[1:].strip() for line in text.splitlines() if line.startswith("@")]
    if follows == Follows.READ_LIST:
        found = re.search(r"^read:\s*\[(?P<names>[^\]]*)\]", text, re.MULTILINE)
        return [name.strip() for name in found["names"].split(",")] if found else []
    return []
