"""`fastapi-rulebook`: the rule set's command-line tool for users' own repositories."""

from typing import Annotated

import typer

import fastapi_rulebook
from fastapi_rulebook.install.cli import register as register_install
from fastapi_rulebook.lint.cli import register as register_lint

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"fastapi-rulebook {fastapi_rulebook.__version__}")
        raise typer.Exit


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Install the rule files for AI coding agents into a repository, and check code."""


register_install(app)  # init, check, update
register_lint(app)  # lint


def main() -> None:
    app()
