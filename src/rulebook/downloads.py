"""The downloads page (`[[agent-files]]`): per tool, what it reads, the command that installs
its files, and each file to download, with the name to save it as and its size against the
tool's limit.

It reads the package data the generator wrote, so the page shows exactly what `init` installs.
"""

import json
from pathlib import Path, PurePosixPath

from fastapi_rulebook.install.files import SHARED
from fastapi_rulebook.install.tools import TARGETS, TOOLS, Read, Tool, When
from rulebook.agents import tightest_limit
from rulebook.generate import ARCHIVE, DOWNLOADS, PACKAGE_DATA, download_name
from rulebook.source import read_config

ROOT_TARGET = "agents-md"
WHEN = {
    When.ALWAYS: "always",
    When.MATCHING: "with the files its front matter scopes",
    When.ON_DEMAND: "on demand: a skill",
    When.FIRST_MATCH: "only if it is the first of these that exists",
}


def _targets(root: Path) -> dict[str, dict[str, str]]:
    path = root / PACKAGE_DATA
    if not path.is_file():
        raise ValueError(f"{PACKAGE_DATA} is missing: run `uv run rulebook generate`")
    targets: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["targets"]
    return targets


def _size(path: str, text: str) -> str:
    found = tightest_limit(path)
    if found is None:
        return f"{len(text.encode()):,} bytes, no documented limit"
    tool, limit = found
    size = limit.measure(text)
    return f"{size:,} of {limit.size:,} {limit.unit} ({size / limit.size:.0%}, {tool.name})"


def _reads(tool: Tool) -> str:
    def one(read: Read) -> str:
        extra = f", not when `{read.unless}` exists" if read.unless else ""
        return f"`{read.pattern}` ({WHEN[read.when]}{extra})"

    docs = dict.fromkeys(read.doc for read in tool.reads)
    # Each link named by its page (`memory`, `skills`): short enough to wrap at 390 px.
    links = ", ".join(
        f"[{doc.rstrip('/').rsplit('/', 1)[-1].removesuffix('.html')}]({doc})" for doc in docs
    )
    return f"{'; '.join(one(read) for read in tool.reads)}. Its documentation: {links}."


def browser_name(save_as: str) -> str:
    """The name Chromium saves a download under when the link asks for `save_as`: it drops a
    leading dot, then adds `.txt` (the file's type) to a name left without an extension."""
    name = save_as.lstrip(".")
    return name if "." in name else f"{name}.txt"


def uvx_command(repo_url: str, *arguments: str) -> str:
    return " ".join(["uvx --from", f"git+{repo_url}", "fastapi-rulebook", *arguments])


def _files(target: str, files: dict[str, str], site_url: str) -> tuple[list[str], list[str]]:
    """The target's bullet (link, name to save as, size) and its `curl` line."""
    name = download_name(target, files)
    url = f"{site_url}{DOWNLOADS.relative_to('docs').as_posix()}/{name}"
    if TARGETS[target].one_file:
        ((path, text),) = files.items()
        save_as = PurePosixPath(path).name
        folder = f"{PurePosixPath(path).parent}/" if "/" in path else ""
        where = f"; put it in `{folder}`" if folder else ""
        dot = (
            f" (Chromium saves it as `{browser_name(save_as)}`: rename it)"
            if save_as.startswith(".")
            else ""
        )
        if path in SHARED:
            dot += "; have one already? `init` keeps your text and adds the rules in a block"
        bullet = (
            f'- `{path}`: [{name}](downloads/{name}){{ download="{save_as}" }}, '
            f"save as `{save_as}`{dot}{where}. {_size(path, text)}."
        )
        dirs = "--create-dirs " if folder else ""
        command = f"curl {dirs}-fsSLo {path} {url}"
        return [bullet], [command]
    largest_path, largest = max(files.items(), key=lambda item: len(item[1]))
    bullet = (
        f"- {len(files)} files ({', '.join(sorted({_folder(p) for p in files}))}): "
        f'[{name}](downloads/{name}){{ download="{name}" }}, unzip it at the repository '
        f"root. Largest, `{PurePosixPath(largest_path).name}`: {_size(largest_path, largest)}."
    )
    return [bullet], [f"curl -fsSLo {name} {url} && unzip -o {name} && rm {name}"]


def _folder(path: str) -> str:
    parent = PurePosixPath(path).parent
    return f"`{parent}/`" if str(parent) != "." else f"`{path}`"


def _tool_section(
    tool: Tool, targets: dict[str, dict[str, str]], site: str, repo: str
) -> list[str]:
    bullets: list[str] = []
    commands: list[str] = []
    for target in (ROOT_TARGET, *tool.targets):
        more_bullets, more_commands = _files(target, targets[target], site)
        bullets += more_bullets
        commands += more_commands
    note = [tool.note, ""] if tool.note else []
    return [
        f"### {tool.name}",
        "",
        f"Reads {_reads(tool)}",
        "",
        *note,
        "```bash",
        uvx_command(repo, "init", "--tool", tool.id),
        "```",
        "",
        "Or download the files:",
        "",
        *bullets,
        "",
        "```bash",
        *commands,
        "```",
        "",
    ]


def render_agent_files(root: Path) -> list[str]:
    config = read_config(root)
    site = str(config.get("site_url") or "")
    site = site if site.endswith("/") else f"{site}/"
    repo = str(config.get("repo_url") or "").rstrip("/")
    targets = _targets(root)
    lines = [
        "## One command",
        "",
        "In your repository (it writes AGENTS.md and the files of every tool it finds there;",
        "`--tool` names them instead), then in CI:",
        "",
        "```bash",
        uvx_command(repo, "init"),
        uvx_command(repo, "check"),
        "```",
        "",
        "`check` exits 1 when an installed file differs from what its version wrote; `update` "
        "moves the files to the command's own version. A file of yours at a path it would "
        "write is never overwritten (`--force` keeps it as `<name>.bak`), and your own "
        "AGENTS.md, CLAUDE.md or GEMINI.md keeps its text: the rules go in a marked block.",
        "",
        "## Per tool",
        "",
    ]
    for tool in TOOLS.values():
        lines += _tool_section(tool, targets, site, repo)
    lines += ["## Single files that stand alone", ""]
    lines += [
        "For a tool that reads one file and a repository without AGENTS.md. Each holds every "
        "rule's line; do not add one beside AGENTS.md, or the tool reads the rules twice.",
        "",
    ]
    for target in (t for t in TARGETS.values() if t.standalone):
        bullets, commands = _files(target.id, targets[target.id], site)
        lines += [*bullets, "", "```bash", *commands, "```", ""]
    everything = f'[{ARCHIVE}](downloads/{ARCHIVE}){{ download="{ARCHIVE}" }}'
    lines += [
        f"**Everything at once:** {everything}, every file above at its repository path.",
        "",
        "[llms.txt](llms.txt) lists every rule page; [llms-full.txt](llms-full.txt) holds them "
        "all, code included.",
        "",
    ]
    return lines
