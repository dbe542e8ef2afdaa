"""Install the agent files into a repository, check them, move them to another version.

Everything is planned before anything is written: a file that is not ours (no generated header,
not one whose text we share in a block), or one of ours edited by hand since it was installed,
stops the whole run unless `force` is given, which first saves it as `<name>.bak`. Each write
replaces its file atomically. `.fastapi-rulebook.toml` records the version and each file's
hash, so `check` compares the files with what that version wrote, whichever version runs it.
"""

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fastapi_rulebook.install.files import (
    IMPORTING,
    SHARED,
    Release,
    aider_reads_already,
    block_of,
    digest,
    has_header,
    imports_root,
    with_block,
    without_block,
)
from fastapi_rulebook.install.tools import TOOLS

LOCK = ".fastapi-rulebook.toml"
ROOT_TARGET = "agents-md"
Mode = Literal["file", "block", "present"]


class InstallError(Exception):
    """A problem that stops the run before anything is written, naming what to fix."""


@dataclass(frozen=True)
class Installed:
    mode: Mode  # the whole file is ours; our block in the user's file; their file imports ours
    sha256: str = ""  # of the file, or of the block's text; "" for "present"


@dataclass(frozen=True)
class Lock:
    version: str
    tools: tuple[str, ...]
    files: dict[str, Installed]


@dataclass
class Plan:
    writes: dict[str, str] = field(default_factory=dict)  # path -> the file's new text
    backups: list[str] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one message per file, naming it
    notes: list[str] = field(default_factory=list)
    lock: dict[str, Installed] = field(default_factory=dict)


def parse_tools(names: list[str]) -> tuple[str, ...]:
    """`--tool cursor,claude --tool zed` (or `all`) as tool ids, each checked."""
    wanted = [name.strip() for value in names for name in value.split(",") if name.strip()]
    if "all" in wanted:
        return tuple(TOOLS)
    if unknown := [name for name in wanted if name not in TOOLS]:
        raise InstallError(f"unknown tool {', '.join(unknown)}; known: {', '.join(TOOLS)} (or all)")
    return tuple(dict.fromkeys(wanted))


def detect(root: Path) -> tuple[str, ...]:
    """The tools a repository shows signs of using (their folders or files)."""
    return tuple(t.id for t in TOOLS.values() if any((root / p).exists() for p in t.detect))


def read_lock(root: Path) -> Lock | None:
    path = root / LOCK
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        files = {
            name: Installed(mode=entry["mode"], sha256=entry.get("sha256", ""))
            for name, entry in data["files"].items()
        }
        return Lock(version=str(data["version"]), tools=tuple(data["tools"]), files=files)
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise InstallError(f"{LOCK}: not a record this command wrote ({error})") from None


def lock_text(version: str, tools: tuple[str, ...], files: dict[str, Installed]) -> str:
    lines = [
        "# Written by fastapi-rulebook: the rule set's version and the files it installed.",
        "# `fastapi-rulebook check` compares them with the hashes below; `update` moves them.",
        f"version = {json.dumps(version)}",
        f"tools = [{', '.join(json.dumps(tool) for tool in tools)}]",
        "",
        "[files]",
    ]
    for path, installed in sorted(files.items()):
        sha = f", sha256 = {json.dumps(installed.sha256)}" if installed.sha256 else ""
        lines.append(f"{json.dumps(path)} = {{ mode = {json.dumps(installed.mode)}{sha} }}")
    return "\n".join(lines) + "\n"


def wanted_files(release: Release, tools: tuple[str, ...]) -> dict[str, str]:
    targets = dict.fromkeys([ROOT_TARGET, *(t for tool in tools for t in TOOLS[tool].targets)])
    return {path: text for target in targets for path, text in release.targets[target].items()}


def _edited(path: str, current: str, recorded: Installed | None) -> bool:
    """Whether a file of ours changed since it was installed (unknown files: not ours)."""
    if recorded is None:
        return False
    if recorded.mode == "file":
        return digest(current) != recorded.sha256
    if recorded.mode == "block":
        inner = block_of(path, current)
        return inner is None or digest(inner) != recorded.sha256
    return False


def _plan_shared(
    path: str, text: str, current: str, recorded: Installed | None, plan: Plan
) -> None:
    """A user's own AGENTS.md, CLAUDE.md, ...: their text stays, the rules go in a block."""
    inner = block_of(path, current)
    if path in IMPORTING and imports_root(without_block(path, current) if inner else current):
        plan.lock[path] = Installed("present")
        plan.notes.append(f"kept {path}: it already imports AGENTS.md")
        if inner is not None:
            plan.writes[path] = without_block(path, current)
        return
    if path == ".aider.conf.yml" and inner is None and aider_reads_already(current):
        plan.refused.append(
            f"{path}: has its own `read:` list; add AGENTS.md and CONVENTIONS.md to it"
        )
        return
    plan.lock[path] = Installed("block", digest(text.rstrip() + "\n"))
    new = with_block(path, current, text)
    if new != current:
        plan.writes[path] = new
        plan.notes.append(f"kept your text in {path}; the rules are in its managed block")


def plan_install(
    root: Path, release: Release, tools: tuple[str, ...], lock: Lock | None, force: bool
) -> Plan:
    plan = Plan()
    recorded = lock.files if lock else {}
    wanted = wanted_files(release, tools)
    for path, text in wanted.items():
        target = root / path
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if target.exists() and current is None:
            plan.refused.append(f"{path}: is a folder, where a file would go")
            continue
        if current is not None and _edited(path, current, recorded.get(path)):
            if not force:
                plan.refused.append(
                    f"{path}: edited by hand since it was installed; move your changes out, "
                    "or pass --force (it keeps a .bak)"
                )
                continue
            plan.backups.append(path)
        if current is None or (has_header(current) and block_of(path, current) is None):
            plan.lock[path] = Installed("file", digest(text))
            if current != text:
                plan.writes[path] = text
        elif path in SHARED:
            _plan_shared(path, text, current, recorded.get(path), plan)
        elif force:
            plan.backups.append(path)
            plan.lock[path] = Installed("file", digest(text))
            plan.writes[path] = text
        else:
            plan.refused.append(
                f"{path}: exists and was not written by fastapi-rulebook; move it away, "
                "or pass --force (it keeps a .bak)"
            )
    for path, installed in recorded.items():
        if path in wanted or not (root / path).is_file():
            continue  # still wanted, or already gone
        current = (root / path).read_text(encoding="utf-8")
        if _edited(path, current, installed) and not force:
            plan.refused.append(f"{path}: no longer installed, but edited by hand; remove it")
        elif installed.mode == "file":
            plan.removals.append(path)
        elif installed.mode == "block":
            plan.writes[path] = without_block(path, current)
    plan.backups = list(dict.fromkeys(plan.backups))
    return plan


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    os.chmod(handle.name, 0o644)
    try:
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise


def apply(root: Path, plan: Plan, version: str, tools: tuple[str, ...]) -> None:
    """Carry out a plan with no refusals: backups first, then the files, the record last."""
    assert not plan.refused
    for path in plan.backups:
        _write_atomically(root / f"{path}.bak", (root / path).read_text(encoding="utf-8"))
    for path, text in plan.writes.items():
        _write_atomically(root / path, text)
    for path in plan.removals:
        (root / path).unlink()
    _write_atomically(root / LOCK, lock_text(version, tools, plan.lock))


def check(root: Path) -> list[str]:
    """One message per installed file that differs from what its version wrote."""
    lock = read_lock(root)
    if lock is None:
        return [f"{LOCK}: missing; run `fastapi-rulebook init` first"]
    problems = []
    for path, installed in sorted(lock.files.items()):
        target = root / path
        if not target.is_file():
            problems.append(f"{path}: missing")
            continue
        current = target.read_text(encoding="utf-8")
        if installed.mode == "present":
            if not imports_root(current):
                problems.append(f"{path}: no longer imports AGENTS.md")
        elif installed.mode == "block" and block_of(path, current) is None:
            problems.append(f"{path}: its managed block is gone")
        elif _edited(path, current, installed):
            where = "inside its managed block" if installed.mode == "block" else "by hand"
            problems.append(f"{path}: edited {where} since version {lock.version} wrote it")
    return problems
