"""Each tool, in a repository with every tool's files installed, reads every rule exactly once
(in its files or its skill), and its line in the root once, as its read set documents."""

from pathlib import Path

import pytest

from fastapi_rulebook.install.files import release
from fastapi_rulebook.install.tools import TOOLS, Tool, read_set
from rulebook.agents import root_line
from rulebook.markdown import current_rulebook
from tests.install.conftest import run

ROOT = Path(__file__).resolve().parents[2]
RULES = list(current_rulebook(ROOT).rules)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every tool's files, beside a user's own AGENTS.md and CLAUDE.md."""
    repo = tmp_path_factory.mktemp("every-tool")
    (repo / "AGENTS.md").write_text("# Our service\n\nRun `make test` before pushing.\n")
    (repo / "CLAUDE.md").write_text("# Notes for Claude\n\nPrefer small commits.\n")
    assert run(repo, "init", "--tool", "all").exit_code == 0
    return repo


def count(texts: dict[str, str], needle: str) -> int:
    return sum(text.count(needle) for text in texts.values())


@pytest.mark.parametrize("tool", TOOLS.values(), ids=lambda tool: tool.id)
def test_each_tool_reads_every_rule_once(installed: Path, tool: Tool) -> None:
    loaded, skills = read_set(installed, tool)
    assert loaded, "the tool reads none of the installed files"
    reads_root = "AGENTS.md" in loaded
    for rule in RULES:
        assert count(loaded, rule.statement) <= 1, (rule.id, "statement read twice")
        assert count(loaded, rule.statement) + count(skills, rule.statement) >= 1, rule.id
        assert count(loaded, root_line(rule)) == (1 if reads_root else 0), rule.id
    if reads_root:
        assert "Run `make test` before pushing." in loaded["AGENTS.md"]  # the user's own text


def test_skills_are_installed_once_where_their_tools_read_them(installed: Path) -> None:
    for tool in TOOLS.values():
        _, skills = read_set(installed, tool)
        assert count(skills, "name: fastapi-rulebook\n") <= 1, tool.id


def test_claude_code_loads_agents_md_through_its_import(installed: Path) -> None:
    loaded, _ = read_set(installed, TOOLS["claude"])
    assert "Prefer small commits." in loaded["CLAUDE.md"]
    assert "@AGENTS.md" in loaded["CLAUDE.md"].splitlines()
    assert "AGENTS.md" in loaded


def test_a_single_file_tool_reads_only_its_first_match(installed: Path) -> None:
    loaded, _ = read_set(installed, TOOLS["zed"])
    assert list(loaded) == [".rules"]


def test_a_documented_fallback_is_not_read_when_its_tool_has_its_own(installed: Path) -> None:
    loaded, _ = read_set(installed, TOOLS["cline"])
    assert not any(path.startswith((".cursor/", ".windsurf/")) for path in loaded)
    assert any(path.startswith(".clinerules/") for path in loaded)


def test_aider_reads_what_its_configuration_lists(installed: Path) -> None:
    loaded, _ = read_set(installed, TOOLS["aider"])
    assert set(loaded) == {".aider.conf.yml", "AGENTS.md", "CONVENTIONS.md"}


def test_the_package_data_is_what_the_rule_pages_generate() -> None:
    """The release `init` installs holds each rule's current statement (CI's
    `rulebook generate --check` keeps the whole file current)."""
    text = "".join(release().targets["claude-rules"].values())
    assert all(rule.statement in text for rule in RULES)
