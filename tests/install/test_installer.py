"""`fastapi-rulebook init`, `check` and `update` on a user's repository: what they write, what
they never overwrite, and what `check` reports."""

import os
import tomllib
from pathlib import Path

import pytest
import yaml

from fastapi_rulebook.install.files import BEGIN, END, block_of, digest, release
from fastapi_rulebook.install.installer import LOCK, Installed, lock_text, read_lock
from fastapi_rulebook.install.tools import TOOLS, read_set
from tests.install.conftest import run

VERSION = release().version
ROOT_TEXT = release().targets["agents-md"]["AGENTS.md"]


def installed(repo: Path) -> set[str]:
    return {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}


def test_init_in_a_bare_repository_writes_agents_md_and_the_record(repo: Path) -> None:
    result = run(repo, "init")

    assert result.exit_code == 0, result.output
    assert installed(repo) == {"AGENTS.md", LOCK}
    assert (repo / "AGENTS.md").read_text() == ROOT_TEXT
    assert "no tool detected: AGENTS.md only" in result.output
    record = tomllib.loads((repo / LOCK).read_text())
    assert record["version"] == VERSION and record["tools"] == []


def test_init_installs_the_tools_it_detects(repo: Path) -> None:
    (repo / ".cursor").mkdir()
    (repo / ".claude").mkdir()

    assert run(repo, "init").exit_code == 0

    expected = {"AGENTS.md", LOCK}
    for tool in ("cursor", "claude"):
        for target in TOOLS[tool].targets:
            expected |= set(release().targets[target])
    assert installed(repo) == expected
    assert read_lock(repo).tools == ("claude", "cursor")  # type: ignore[union-attr]


def test_tool_option_takes_names_and_rejects_unknown_ones(repo: Path) -> None:
    result = run(repo, "init", "--tool", "cursor,kiro", "--tool", "zed")
    assert result.exit_code == 0
    assert read_lock(repo).tools == ("cursor", "kiro", "zed")  # type: ignore[union-attr]

    result = run(repo, "init", "--tool", "cursr")
    assert result.exit_code == 1
    assert "error: unknown tool cursr; known: codex, claude, cursor" in result.output


def test_a_users_agents_md_keeps_its_text_and_gets_a_managed_block(repo: Path) -> None:
    mine = "# Our service\n\nRun `make test` before pushing."  # no final newline
    (repo / "AGENTS.md").write_text(mine)

    result = run(repo, "init")

    assert result.exit_code == 0
    assert "kept your text in AGENTS.md; the rules are in its managed block" in result.output
    text = (repo / "AGENTS.md").read_text()
    assert text.startswith(mine + "\n\n<!-- " + BEGIN + " -->\n")
    assert block_of("AGENTS.md", text) == ROOT_TEXT.rstrip() + "\n"
    assert text.endswith(f"<!-- {END} -->\n")
    assert run(repo, "check").exit_code == 0
    # Run again: nothing changes, and the user's own edits outside the block are fine.
    (repo / "AGENTS.md").write_text(text.replace("make test", "make check"))
    again = run(repo, "init")
    assert again.exit_code == 0 and "0 file(s) written" in again.output
    assert run(repo, "check").exit_code == 0


def test_an_empty_agents_md_gets_the_block_alone(repo: Path) -> None:
    (repo / "AGENTS.md").write_text("")
    assert run(repo, "init").exit_code == 0
    assert (repo / "AGENTS.md").read_text().startswith(f"<!-- {BEGIN} -->\n")


def test_a_claude_md_that_imports_agents_md_already_is_left_alone(repo: Path) -> None:
    (repo / ".claude").mkdir()
    mine = "# Claude\n\n@AGENTS.md\n"
    (repo / "CLAUDE.md").write_text(mine)

    result = run(repo, "init")

    assert result.exit_code == 0
    assert "kept CLAUDE.md: it already imports AGENTS.md" in result.output
    assert (repo / "CLAUDE.md").read_text() == mine
    assert run(repo, "check").exit_code == 0
    (repo / "CLAUDE.md").write_text("# Claude\n")
    result = run(repo, "check")
    assert result.exit_code == 1
    assert "changed: CLAUDE.md: no longer imports AGENTS.md" in result.output


def test_a_claude_md_gets_the_import_in_a_block_until_its_owner_writes_it(repo: Path) -> None:
    (repo / ".claude").mkdir()
    (repo / "CLAUDE.md").write_text("# Claude\n")
    assert run(repo, "init").exit_code == 0
    text = (repo / "CLAUDE.md").read_text()
    assert block_of("CLAUDE.md", text) is not None and "\n@AGENTS.md\n" in text

    (repo / "CLAUDE.md").write_text("@AGENTS.md\n" + text)  # the owner imports it themself
    assert run(repo, "init").exit_code == 0
    assert (repo / "CLAUDE.md").read_text() == "@AGENTS.md\n# Claude\n"  # one import, theirs


def test_a_file_that_is_not_ours_is_never_overwritten(repo: Path) -> None:
    (repo / ".rules").write_text("Our Zed rules.\n")

    result = run(repo, "init", "--tool", "zed")

    assert result.exit_code == 1
    assert "refused: .rules: exists and was not written by fastapi-rulebook" in result.output
    assert "Nothing was written." in result.output
    assert installed(repo) == {".rules"}  # not even AGENTS.md: all or nothing

    result = run(repo, "init", "--tool", "zed", "--force")
    assert result.exit_code == 0
    assert "saved your .rules as .rules.bak" in result.output
    assert (repo / ".rules.bak").read_text() == "Our Zed rules.\n"
    assert (repo / ".rules").read_text() == release().targets["zed-rules"][".rules"]


def test_a_folder_where_a_file_goes_is_named(repo: Path) -> None:
    (repo / ".rules").mkdir()
    result = run(repo, "init", "--tool", "zed", "--force")
    assert result.exit_code == 1
    assert "refused: .rules: is a folder, where a file would go" in result.output


def test_an_aider_configuration_with_its_own_read_list_is_refused(repo: Path) -> None:
    (repo / ".aider.conf.yml").write_text("model: sonnet\nread: [NOTES.md]\n")
    result = run(repo, "init")
    assert result.exit_code == 1
    assert "add AGENTS.md and CONVENTIONS.md to it" in result.output

    (repo / ".aider.conf.yml").write_text("model: sonnet\n")
    assert run(repo, "init").exit_code == 0
    config = yaml.safe_load((repo / ".aider.conf.yml").read_text())
    assert config == {"model": "sonnet", "read": ["AGENTS.md", "CONVENTIONS.md"]}
    loaded, _ = read_set(repo, TOOLS["aider"])
    assert set(loaded) == {".aider.conf.yml", "AGENTS.md", "CONVENTIONS.md"}


def test_check_names_every_changed_file(repo: Path) -> None:
    (repo / ".cursor").mkdir()
    (repo / "AGENTS.md").write_text("# Ours\n")
    assert run(repo, "init").exit_code == 0
    result = run(repo, "check")
    assert result.exit_code == 0
    assert f"as FastAPI Rulebook {VERSION} wrote them" in result.output

    stack = repo / ".cursor/rules/fastapi-rulebook-stack.mdc"
    stack.write_text(stack.read_text() + "Also: use Black.\n")
    (repo / ".cursor/rules/fastapi-rulebook-testing.mdc").unlink()
    agents = (repo / "AGENTS.md").read_text()
    (repo / "AGENTS.md").write_text(agents.replace("pool_pre_ping=True", "pool_pre_ping=False"))

    result = run(repo, "check")

    assert result.exit_code == 1
    assert (
        f"changed: .cursor/rules/fastapi-rulebook-stack.mdc: edited by hand since version {VERSION}"
        in result.output
    )
    assert "changed: .cursor/rules/fastapi-rulebook-testing.mdc: missing" in result.output
    assert "changed: AGENTS.md: edited inside its managed block" in result.output
    (repo / "AGENTS.md").write_text("# Ours\n")
    assert "changed: AGENTS.md: its managed block is gone" in run(repo, "check").output


def test_check_without_a_record_fails(repo: Path) -> None:
    result = run(repo, "check")
    assert result.exit_code == 1
    assert f"{LOCK}: missing; run `fastapi-rulebook init` first" in result.output


def test_a_record_we_did_not_write_is_named(repo: Path) -> None:
    (repo / LOCK).write_text("version = \n")
    for command in ("check", "init", "update"):
        result = run(repo, command)
        assert result.exit_code == 1
        assert f"error: {LOCK}: not a record this command wrote" in result.output


def older_release(repo: Path) -> None:
    """Make the repository look as an older version left it: another AGENTS.md, recorded."""
    record = read_lock(repo)
    assert record is not None
    old = ROOT_TEXT.replace("Each package to its series", "Every package to its series")
    (repo / "AGENTS.md").write_text(old)
    files = {**record.files, "AGENTS.md": Installed("file", digest(old))}
    (repo / LOCK).write_text(lock_text("0.0.9", record.tools, files))


def test_a_newer_command_leaves_ci_green_until_update_moves_the_files(repo: Path) -> None:
    assert run(repo, "init", "--tool", "codex").exit_code == 0
    older_release(repo)

    result = run(repo, "check")
    assert result.exit_code == 0  # the files are what 0.0.9 wrote
    assert f"This is {VERSION}: `fastapi-rulebook update` moves to it." in result.output

    result = run(repo, "update")
    assert result.exit_code == 0
    assert (repo / "AGENTS.md").read_text() == ROOT_TEXT
    assert read_lock(repo).version == VERSION  # type: ignore[union-attr]
    assert "This is" not in run(repo, "check").output


def test_update_refuses_a_hand_edited_file_without_force(repo: Path) -> None:
    assert run(repo, "init", "--tool", "kiro").exit_code == 0
    older_release(repo)
    edited = repo / ".kiro/steering/fastapi-rulebook-security.md"
    edited.write_text(edited.read_text() + "Our own rule.\n")

    result = run(repo, "update")
    assert result.exit_code == 1
    assert "refused: .kiro/steering/fastapi-rulebook-security.md: edited by hand" in result.output
    assert "Every package to its series" in (repo / "AGENTS.md").read_text()  # nothing was written

    result = run(repo, "update", "--force")
    assert result.exit_code == 0
    assert (edited.parent / f"{edited.name}.bak").read_text().endswith("Our own rule.\n")
    assert run(repo, "check").exit_code == 0


def test_update_without_a_record_says_to_init(repo: Path) -> None:
    result = run(repo, "update")
    assert result.exit_code == 1
    assert f"error: {LOCK} is missing: run `fastapi-rulebook init` first" in result.output


def test_update_removes_what_is_no_longer_installed(repo: Path) -> None:
    (repo / "CLAUDE.md").write_text("# Claude\n")
    assert run(repo, "init", "--tool", "claude,cursor").exit_code == 0
    record = read_lock(repo)
    assert record is not None
    # As if the next version dropped both tools' files.
    (repo / LOCK).write_text(lock_text(record.version, (), record.files))

    result = run(repo, "update")

    assert result.exit_code == 0
    assert "removed .cursor/rules/fastapi-rulebook-stack.mdc" in result.output
    assert not (repo / ".cursor/rules/fastapi-rulebook-stack.mdc").exists()
    assert (repo / "CLAUDE.md").read_text() == "# Claude\n"  # the block went, the text stayed
    assert installed(repo) == {"AGENTS.md", "CLAUDE.md", LOCK}


def test_an_edited_file_no_longer_installed_is_kept(repo: Path) -> None:
    assert run(repo, "init", "--tool", "zed").exit_code == 0
    record = read_lock(repo)
    assert record is not None
    (repo / ".rules").write_text("edited\n")
    (repo / LOCK).write_text(lock_text(record.version, (), record.files))
    (repo / "AGENTS.md").unlink()  # gone already: fine

    result = run(repo, "update")
    assert result.exit_code == 1
    assert "refused: .rules: no longer installed, but edited by hand; remove it" in result.output


def test_a_failed_write_leaves_every_file_whole(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "AGENTS.md").write_text("# Ours\n")

    def fail(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    result = run(repo, "init")
    assert isinstance(result.exception, OSError)

    assert (repo / "AGENTS.md").read_text() == "# Ours\n"
    assert installed(repo) == {"AGENTS.md"}  # no temporary file left, no record


def test_read_set_of_a_first_match_tool_skips_the_missing_names(repo: Path) -> None:
    assert run(repo, "init").exit_code == 0
    loaded, skills = read_set(repo, TOOLS["zed"])
    assert list(loaded) == ["AGENTS.md"] and skills == {}
    (repo / ".aider.conf.yml").write_text("model: sonnet\n")
    loaded, _ = read_set(repo, TOOLS["aider"])
    assert list(loaded) == [".aider.conf.yml"]


def test_a_users_own_import_line_stays_when_its_tool_is_dropped(repo: Path) -> None:
    (repo / "CLAUDE.md").write_text("@AGENTS.md\n")
    assert run(repo, "init", "--tool", "claude").exit_code == 0
    record = read_lock(repo)
    assert record is not None and record.files["CLAUDE.md"] == Installed("present")
    (repo / LOCK).write_text(lock_text(record.version, (), record.files))

    assert run(repo, "update").exit_code == 0
    assert (repo / "CLAUDE.md").read_text() == "@AGENTS.md\n"


def test_read_set_ignores_an_import_of_a_missing_file(repo: Path) -> None:
    (repo / "CLAUDE.md").write_text("@docs/gone.md\n")
    loaded, _ = read_set(repo, TOOLS["claude"])
    assert list(loaded) == ["CLAUDE.md"]
