"""`fastapi-rulebook init`, `check` and `update`: the agent files in a user's repository."""

from pathlib import Path
from typing import Annotated

import typer

from fastapi_rulebook.install.files import release
from fastapi_rulebook.install.installer import (
    LOCK,
    InstallError,
    Plan,
    apply,
    check,
    detect,
    parse_tools,
    plan_install,
    read_lock,
)
from fastapi_rulebook.install.tools import TOOLS

RootOption = Annotated[Path, typer.Option(help="The repository (default: here).")]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Overwrite files that are not ours or were edited, keeping <name>.bak."
    ),
]


def _carry_out(root: Path, plan: Plan, tools: tuple[str, ...]) -> None:
    for message in plan.refused:
        typer.echo(f"refused: {message}", err=True)
    if plan.refused:
        typer.echo("Nothing was written.", err=True)
        raise typer.Exit(1)
    apply(root, plan, release().version, tools)
    for note in plan.notes:
        typer.echo(note)
    for path in plan.backups:
        typer.echo(f"saved your {path} as {path}.bak")
    for path in plan.removals:
        typer.echo(f"removed {path} (no longer part of the rules)")
    names = ", ".join(TOOLS[tool].name for tool in tools) or "no tool detected: AGENTS.md only"
    typer.echo(
        f"FastAPI Rulebook {release().version}: {len(plan.writes)} file(s) written "
        f"({names}); recorded in {LOCK}."
    )


def init(
    tool: Annotated[
        list[str] | None,
        typer.Option(
            help=f"Tools to install for, comma-separated, or all: {', '.join(TOOLS)}. "
            "Default: the ones the repository shows signs of."
        ),
    ] = None,
    root: RootOption = Path(),
    force: ForceOption = False,
) -> None:
    """Write AGENTS.md and the rule files of the chosen tools into the repository."""
    try:
        lock = read_lock(root)
        chosen = parse_tools(tool) if tool else detect(root)
        tools = tuple(dict.fromkeys([*(lock.tools if lock else ()), *chosen]))
        plan = plan_install(root, release(), tools, lock, force)
    except InstallError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    _carry_out(root, plan, tools)


def check_command(root: RootOption = Path()) -> None:
    """Exit 1 if any installed file differs from what its version wrote, or is missing."""
    try:
        problems = check(root)
        lock = read_lock(root)
    except InstallError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    for problem in problems:
        typer.echo(f"changed: {problem}", err=True)
    if problems or lock is None:
        typer.echo("Agent files differ from what was installed: see above.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(lock.files)} agent file(s) as FastAPI Rulebook {lock.version} wrote them.")
    if lock.version != release().version:
        typer.echo(f"This is {release().version}: `fastapi-rulebook update` moves to it.")


def update(root: RootOption = Path(), force: ForceOption = False) -> None:
    """Move the installed files to this version's, refusing hand-edited ones without --force."""
    try:
        lock = read_lock(root)
        if lock is None:
            raise InstallError(f"{LOCK} is missing: run `fastapi-rulebook init` first")
        plan = plan_install(root, release(), lock.tools, lock, force)
    except InstallError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    _carry_out(root, plan, lock.tools)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command("check")(check_command)
    app.command()(update)
