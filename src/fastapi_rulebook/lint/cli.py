"""`fastapi-rulebook lint [PATH ...]`: check a service's code against the rule set."""

import os
from pathlib import Path
from typing import Annotated

import typer

from fastapi_rulebook.lint.runner import FORMATS, LintError, lint, options_from, read_config, render


def _split(values: list[str] | None) -> list[str] | None:
    """`--select RB3,RB901` and `--select RB3 --select RB901` mean the same."""
    if not values:
        return None
    return [part for value in values for part in value.split(",")]


def lint_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: .).")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these codes or prefixes (RB3, RB901).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Leave out these codes or prefixes.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--output-format", help=f"One of: {', '.join(FORMATS)}.")
    ] = "text",
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Processes for a large tree (default: one per core)."),
    ] = None,
) -> None:
    """Report code that breaks the rule set: `path:line:col: RB123 message`. Exit 1 on findings."""
    if output_format not in FORMATS:
        raise typer.BadParameter(f"`{output_format}`; use one of {', '.join(FORMATS)}")
    targets = paths or [Path()]
    missing = [path for path in targets if not path.exists()]
    if missing:
        typer.echo(f"error: no such file or folder: {missing[0]}", err=True)
        raise typer.Exit(2)
    try:
        config, source = read_config(targets[0])
        options = options_from(config, source, _split(select), _split(ignore))
    except LintError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    result = lint(targets, options, jobs or os.process_cpu_count() or 1)
    for message in result.parse_errors:
        typer.echo(f"error: {message}", err=True)
    output = render(result, output_format)
    if output:
        typer.echo(output)
    if result.findings or result.parse_errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)
