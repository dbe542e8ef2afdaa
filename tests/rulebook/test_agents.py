"""The generator: every target from one source, each in its tool's format, within its limits,
checkable, safe; the root complete in what to write."""

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from typer.testing import CliRunner

from fastapi_rulebook.install.files import release
from fastapi_rulebook.install.tools import (
    ROOT_LIMIT,
    SKILLS_SPEC,
    TARGETS,
    TOOLS,
    USER_ROOM,
    Limit,
    Read,
    Tool,
    When,
)
from rulebook.adapters import ADAPTERS
from rulebook.agents import over_limit, plain, root_line
from rulebook.cli import app
from rulebook.generate import ARCHIVE, DOWNLOADS, PACKAGE_DATA, expected_files, sync, target_files
from rulebook.markdown import current_rulebook
from rulebook.source import do_code, load_rulebook, split_front_matter
from tests.rulebook.conftest import RuleRepo

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]
WHY = "\n## Why\n\n- Because [the other page](../first/good-rule.md#why) says so.\n"


def generate(repo: RuleRepo, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["generate", "--root", str(repo.root), *args])
    return result.exit_code, result.output


@pytest.fixture
def book(rule_repo: RuleRepo) -> RuleRepo:
    """The test book as the golden files were made from: a site URL, a scope, a Why section."""
    rule_repo.edit(
        "mkdocs.yml",
        "site_name: Test book",
        "site_name: Test book\nsite_url: https://example.org/book/",
    )
    rule_repo.write(
        "docs/first/index.md", "---\napplies_to: [tests/**, conftest.py]\n---\n# First\n"
    )
    page = rule_repo.root / "docs/first/good-rule.md"
    page.write_text(page.read_text() + WHY)
    return rule_repo


@pytest.mark.parametrize("target", TARGETS)
def test_each_target_matches_its_golden_files(book: RuleRepo, target: str) -> None:
    files = target_files(load_rulebook(book.root))[target]
    folder = GOLDEN / target
    golden = {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }
    assert files == golden


def test_each_adapter_cites_its_tools_format_documentation() -> None:
    for target, adapter in ADAPTERS.items():
        cited = re.findall(r"https://\S+", adapter.__doc__ or "")
        assert cited, f"{target}: its adapter cites no documentation"
        docs = {read.doc for tool in TOOLS.values() for read in tool.reads}
        assert TARGETS[target].doc in docs | {SKILLS_SPEC}, target


def test_root_is_compact_and_complete() -> None:
    """The real rule set: AGENTS.md within 12,000 characters less the room left for a
    repository's own text, one line per rule, and each line keeps every identifier, which the
    rule's Do code really uses."""
    rulebook = current_rulebook(ROOT)
    root = release().targets["agents-md"]["AGENTS.md"]
    assert len(root) <= ROOT_LIMIT.size - USER_ROOM == 11_700
    rules = list(rulebook.rules)
    for rule in rules:
        line = root_line(rule)
        assert root.count(line) == 1, line
        page = (ROOT / "docs" / rule.page).read_text()
        code = re.sub(r"\s+", "", do_code(ROOT, split_front_matter(rule.page, page)[1]))
        for identifier in rule.identifiers:
            assert identifier in line, (rule.id, identifier)
            assert re.sub(r"\s+", "", identifier) in code, (rule.id, identifier)
        assert rule.statement not in root  # the full statement lives elsewhere
    assert sum(1 for line in root.splitlines() if line.startswith("- ")) == len(rules)
    # The examples the rule set promises its root keeps, where an agent writes them.
    for promised in (
        "pool_pre_ping=True",
        "NullPool",
        "expire_on_commit=False",
        'algorithms=["HS256"]',
    ):
        assert promised in root


def test_identifier_missing_from_the_do_code_is_named(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "docs/first/good-rule.md", 'identifiers: ["def good"]', 'identifiers: ["def bad"]'
    )
    rule_repo.edit(
        "docs/first/good-rule.md", "Write `def good() -> int`", "Write `def bad() -> int`"
    )
    code, output = generate(rule_repo)
    assert code == 1
    assert "docs/first/good-rule.md:3: `identifiers`: `def bad` is not in the Do code" in output


def test_identifier_missing_from_the_imperative_is_named(rule_repo: RuleRepo) -> None:
    rule_repo.edit("docs/first/good-rule.md", "Write `def good() -> int`", "Write a function")
    code, output = generate(rule_repo)
    assert code == 1
    assert "`identifiers`: `def good` is not in the `imperative`" in output


def test_an_imperative_is_one_short_line(rule_repo: RuleRepo) -> None:
    rule_repo.edit(
        "docs/first/good-rule.md",
        "Write `def good() -> int`",
        "Write `def good() -> int` " + "x" * 80,
    )
    code, output = generate(rule_repo)
    assert code == 1
    assert "`imperative`: String should have at most 80 characters" in output


def test_standalone_files_hold_every_rules_line() -> None:
    rulebook = current_rulebook(ROOT)
    targets = release().targets
    windsurf = targets["windsurfrules"][".windsurfrules"]
    assert len(windsurf) <= 6_000
    for rule in rulebook.rules:
        assert f"- {plain(rule.imperative)}\n" in windsurf
        for target in ("cursorrules", "copilot-instructions"):
            (text,) = targets[target].values()
            assert root_line(rule) in text


# The front matter each tool documents, as a schema: a generated file must validate.
class CursorRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    globs: str
    alwaysApply: StrictBool


class CopilotInstructions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    applyTo: str
    description: str


class PathsRule(BaseModel):  # Claude Code's `.claude/rules`, Cline's `.clinerules`
    model_config = ConfigDict(extra="forbid")
    paths: list[str]


class DevinRule(BaseModel):  # Devin Desktop, and Windsurf before it
    model_config = ConfigDict(extra="forbid")
    trigger: Literal["always_on", "model_decision", "glob", "manual"]
    globs: str
    description: str


class KiroSteering(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inclusion: Literal["always", "fileMatch", "manual", "auto"]
    fileMatchPattern: list[str]


class ContinueRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str
    globs: list[str]
    alwaysApply: StrictBool


class Skill(BaseModel):  # https://agentskills.io/specification
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)
    description: str = Field(min_length=1, max_length=1024)


SCHEMAS: dict[str, type[BaseModel]] = {
    "cursor-rules": CursorRule,
    "copilot-scoped": CopilotInstructions,
    "claude-rules": PathsRule,
    "cline-rules": PathsRule,
    "devin-rules": DevinRule,
    "windsurf-rules": DevinRule,
    "kiro-steering": KiroSteering,
    "continue-rules": ContinueRule,
    "skill": Skill,
}
# Cursor documents `globs` as unquoted comma-separated patterns; `**/*.py` unquoted starts a
# YAML alias, so Cursor's files are not strict YAML (agnix's CUR-003 is off for this reason).
NOT_STRICT_YAML = {"cursor-rules": "https://cursor.com/docs/context/rules"}


def front_matter(text: str) -> str:
    assert text.startswith("---\n")
    return text.split("---\n", 2)[1]


@pytest.mark.parametrize("target", SCHEMAS)
def test_front_matter_follows_each_tools_schema(book: RuleRepo, target: str) -> None:
    for path, text in target_files(load_rulebook(book.root))[target].items():
        if path.endswith("/references/first.md"):
            continue  # a skill's reference file has no front matter
        raw = front_matter(text)
        if target in NOT_STRICT_YAML:
            assert "globs: tests/**,conftest.py" in raw.splitlines()
            data = yaml.load(raw, Loader=yaml.BaseLoader)  # strings, as Cursor reads them
            data["alwaysApply"] = data["alwaysApply"] == "true"
        else:
            data = yaml.safe_load(raw)
        SCHEMAS[target].model_validate(data)


def test_cursor_globs_are_unquoted_as_cursor_documents() -> None:
    """So the real `.mdc` files are not strict YAML: `globs: **/*.py,...` opens an alias."""
    for text in release().targets["cursor-rules"].values():
        (globs,) = [line for line in front_matter(text).splitlines() if line.startswith("globs:")]
        assert '"' not in globs
        if globs.startswith("globs: *"):
            with pytest.raises(yaml.YAMLError, match="alias"):
                yaml.safe_load(front_matter(text))


def test_every_target_has_a_schema_or_no_front_matter(book: RuleRepo) -> None:
    for target, files in target_files(load_rulebook(book.root)).items():
        with_front_matter = [path for path, text in files.items() if text.startswith("---\n")]
        assert bool(with_front_matter) == (target in SCHEMAS), target


def test_section_scope_defaults_to_python_files(rule_repo: RuleRepo) -> None:
    (section,) = load_rulebook(rule_repo.root).sections
    assert section.applies_to == ("**/*.py",)


def test_bad_section_scope_names_the_file(rule_repo: RuleRepo) -> None:
    rule_repo.write("docs/first/index.md", "---\napplies_to: []\nscope: x\n---\n# First\n")
    code, output = generate(rule_repo)
    assert code == 1
    assert "docs/first/index.md:2: `applies_to`: List should have at least 1 item" in output


def test_every_file_and_download_is_written(rule_repo: RuleRepo) -> None:
    code, _ = generate(rule_repo)

    assert code == 0
    agents = (rule_repo.root / "AGENTS.md").read_text()
    assert agents.startswith("<!-- Generated by FastAPI Rulebook 1.2.3 from its rule pages")
    assert (
        "## First section (first/)\n\n- Do the good thing: Write `def good() -> int` (good-rule/)\n"
        in agents
    )
    assert (rule_repo.root / "CLAUDE.md").read_text().endswith("\n\n@AGENTS.md\n")
    assert (rule_repo.root / DOWNLOADS / "agents-md.txt").read_text() == agents
    with zipfile.ZipFile(rule_repo.root / DOWNLOADS / ARCHIVE) as archive:
        names = set(archive.namelist())
    assert {"AGENTS.md", ".cursorrules", ".cursor/rules/fastapi-rulebook-first.mdc"} <= names
    assert (rule_repo.root / PACKAGE_DATA).is_file()
    assert (rule_repo.root / "docs/llms.txt").read_text().startswith("# FastAPI Rulebook\n")


def test_llms_full_holds_the_included_code(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    text = (rule_repo.root / "docs/llms-full.txt").read_text()
    assert "**The rule:** Do the good thing, always." in text
    assert "    def good() -> int:\n        return 1" in text
    assert "[start:good]" not in text


def test_output_is_byte_identical_across_runs(rule_repo: RuleRepo) -> None:
    first = expected_files(load_rulebook(rule_repo.root))
    second = expected_files(load_rulebook(rule_repo.root))

    assert first == second
    assert all(b"\r" not in content for path, content in first.items() if path.suffix != ".zip")


def test_header_hash_follows_the_content(rule_repo: RuleRepo) -> None:
    before = expected_files(load_rulebook(rule_repo.root))[Path("AGENTS.md")]
    rule_repo.edit("docs/first/good-rule.md", "Write `def good() -> int`", "Write `def good()`")
    after = expected_files(load_rulebook(rule_repo.root))[Path("AGENTS.md")]

    assert before.splitlines()[0] != after.splitlines()[0]
    assert b"sha256:" in after.splitlines()[0]


def test_file_over_its_limit_fails_naming_size_limit_and_tool(
    rule_repo: RuleRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = Tool(
        "tiny",
        "Tiny",
        (),
        (),
        (Read("AGENTS.md", When.ALWAYS, "", Limit(100, "characters", "a test limit")),),
    )
    monkeypatch.setitem(TOOLS, "tiny", tiny)
    before = sorted(p.relative_to(rule_repo.root) for p in rule_repo.root.rglob("*"))

    code, output = generate(rule_repo)

    assert code == 1
    size = len(target_files(load_rulebook(rule_repo.root))["agents-md"]["AGENTS.md"])
    assert (
        f"error: AGENTS.md: {size:,} characters, over Tiny's limit of 100 (a test limit)" in output
    )
    assert sorted(p.relative_to(rule_repo.root) for p in rule_repo.root.rglob("*")) == before


def test_limits_count_what_each_tool_counts() -> None:
    text = "é" * 10
    assert Limit(10, "characters", "").measure(text) == 10
    assert Limit(10, "bytes", "").measure(text) == 20
    assert over_limit({".windsurfrules": "x" * 6_001}) != []
    assert over_limit({".windsurfrules": "x" * 6_000}) == []


def test_check_names_missing_stale_and_stray_files_and_writes_nothing(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    claude = rule_repo.root / "CLAUDE.md"
    claude.write_text(claude.read_text() + "edited by hand\n")
    (rule_repo.root / "GEMINI.md").unlink()
    stray = rule_repo.root / DOWNLOADS / "old-rules.zip"
    stray.write_bytes(b"old")

    code, output = generate(rule_repo, "--check")

    assert code == 1
    assert "missing: GEMINI.md" in output
    assert "stale: CLAUDE.md" in output
    assert "stray: docs/downloads/old-rules.zip" in output
    assert claude.read_text().endswith("edited by hand\n")
    assert not (rule_repo.root / "GEMINI.md").exists()
    assert stray.exists()


def test_generate_removes_stray_downloads(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    stray = rule_repo.root / DOWNLOADS / "old-rules.zip"
    stray.write_bytes(b"old")

    code, output = generate(rule_repo)

    assert code == 0
    assert not stray.exists()
    assert "1 removed" in output


def test_check_passes_when_up_to_date(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    code, output = generate(rule_repo, "--check")

    assert code == 0
    assert "0 written, 0 removed" in output


def test_hand_written_file_is_not_overwritten_without_force(rule_repo: RuleRepo) -> None:
    mine = rule_repo.root / "CLAUDE.md"
    mine.write_text("# My own notes for Claude\n")

    code, output = generate(rule_repo)

    assert code == 1
    assert "refused: CLAUDE.md has no generated header" in output
    assert mine.read_text() == "# My own notes for Claude\n"
    assert not (rule_repo.root / "AGENTS.md").exists()  # all or nothing

    code, _ = generate(rule_repo, "--force")
    assert code == 0
    assert mine.read_text().startswith("<!-- Generated by FastAPI Rulebook")


def test_unchanged_files_are_not_rewritten(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    agents = rule_repo.root / "AGENTS.md"
    os.utime(agents, ns=(1, 1))

    outcome = sync(rule_repo.root, expected_files(load_rulebook(rule_repo.root)), check=False)

    assert outcome.written == []
    assert agents.stat().st_mtime_ns == 1


def test_bad_source_writes_nothing_and_names_the_problem(rule_repo: RuleRepo) -> None:
    generate(rule_repo)
    page = rule_repo.root / "docs/first/good-rule.md"
    before = {p: p.read_bytes() for p in rule_repo.root.rglob("*") if p.is_file() and p != page}
    rule_repo.edit("docs/first/good-rule.md", "caught_by: []", "caught_by: []\nsevere: yes")

    code, output = generate(rule_repo)

    assert code == 1
    assert "error: docs/first/good-rule.md:8: `severe`: unknown front-matter key" in output
    after = {p: p.read_bytes() for p in rule_repo.root.rglob("*") if p.is_file() and p != page}
    assert after == before


def test_a_failed_write_leaves_the_old_file_whole(
    rule_repo: RuleRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(rule_repo)
    rule_repo.edit("docs/first/good-rule.md", "Write `def good() -> int`", "Write `def good()`")
    agents = rule_repo.root / "AGENTS.md"
    old = agents.read_text()

    def fail(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        sync(rule_repo.root, expected_files(load_rulebook(rule_repo.root)), check=False)

    assert agents.read_text() == old
    assert [p.name for p in agents.parent.iterdir() if p.name.startswith(".AGENTS.md.")] == []


def test_archives_are_deterministic_and_hold_repo_paths(rule_repo: RuleRepo) -> None:
    files = expected_files(load_rulebook(rule_repo.root))
    archive = zipfile.ZipFile(io.BytesIO(files[DOWNLOADS / "cursor-rules.zip"]))
    assert archive.namelist() == [".cursor/rules/fastapi-rulebook-first.mdc"]
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_check_command_reports_counts(rule_repo: RuleRepo) -> None:
    result = runner.invoke(app, ["check", "--root", str(rule_repo.root)])
    assert result.exit_code == 0
    assert "rule source OK: 1 rules in 1 sections" in result.output
