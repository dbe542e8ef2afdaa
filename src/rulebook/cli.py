"""`rulebook`: validate the rule source and generate the agent rule files from it."""

from pathlib import Path
from typing import Annotated

import typer

from rulebook.agents import expected_files, sync
from rulebook.source import Rulebook, RuleSourceError, load_rulebook

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
RootOption = Annotated[Path, typer.Option(help="Repository root (holds mkdocs.yml).")]


def _load(root: Path) -> Rulebook:
    try:
        return load_rulebook(root)
    except RuleSourceError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        typer.echo(f"{len(error.problems)} problem(s) in the rule source.", err=True)
        raise typer.Exit(1) from None


@app.command()
def check(root: RootOption = Path()) -> None:
    """Validate every rule page, include and snippet; exit 1 listing each problem."""
    rulebook = _load(root)
    rules = sum(len(section.rules) for section in rulebook.sections)
    typer.echo(f"rule source OK: {rules} rules in {len(rulebook.sections)} sections")


@app.command()
def generate(
    root: RootOption = Path(),
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if any file is stale.")
    ] = False,
) -> None:
    """Write AGENTS.md, its copies and their site downloads from the rule pages."""
    outcome = sync(root, expected_files(_load(root)), check=check)
    for path in outcome.missing:
        typer.echo(f"{'missing' if check else 'created'}: {path}", err=check)
    for path in outcome.stale:
        typer.echo(f"{'stale' if check else 'updated'}: {path}", err=check)
    if check and (outcome.missing or outcome.stale):
        typer.echo("Generated files are out of date: run `uv run rulebook generate`.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(outcome.written)} written, {len(outcome.unchanged)} already up to date.")


def main() -> None:
    app()
