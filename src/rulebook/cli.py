"""`rulebook`: validate the rule source and generate the agent rule files from it."""

import warnings
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from rulebook import matrix
from rulebook.environments import (
    ENVIRONMENTS,
    VersionsError,
    environment_versions,
    exclude_newer,
    prepare,
    run_suite,
)
from rulebook.generate import BudgetError, expected_files, sync
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
        bool, typer.Option("--check", help="Change nothing; exit 1 if any file is out of date.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite target files that lack the generated header.")
    ] = False,
) -> None:
    """Write the agent rule files, the site downloads and llms.txt from the rule pages."""
    try:
        files = expected_files(_load(root))
    except BudgetError as error:
        for message in error.messages:
            typer.echo(f"error: {message}", err=True)
        raise typer.Exit(1) from None
    outcome = sync(root, files, check=check, force=force)
    for label, paths in (
        ("missing", outcome.missing),
        ("stale", outcome.stale),
        ("stray", outcome.stray),
    ):
        for path in paths:
            typer.echo(f"{label}: {path}", err=check)
    for path in outcome.refused:
        typer.echo(
            f"refused: {path} has no generated header (hand-written?); "
            "move it away or pass --force",
            err=True,
        )
    if outcome.refused or (check and outcome.out_of_date):
        if check:
            typer.echo("Generated files are out of date: run `uv run rulebook generate`.", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{len(outcome.written)} written, {len(outcome.stray) if not check else 0} "
        f"removed, {len(outcome.unchanged)} already up to date."
    )


@app.command()
def versions(
    root: RootOption = Path(),
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if the environments or the matrix are stale."
        ),
    ] = False,
) -> None:
    """Run the whole proof suite on the newest releases and on the lowest the pins allow, and
    write versions/matrix.json (its locks first). A failing proof is recorded, not an error."""
    rulebook = _load(root)
    runs = {}
    try:
        for environment in ENVIRONMENTS:
            if stale := prepare(root, environment, check):
                for problem in stale:
                    typer.echo(f"stale: {problem}", err=True)
                typer.echo("Run `uv run rulebook versions`.", err=True)
                raise typer.Exit(1)
            typer.echo(f"==> the proof suite on the {environment.title.lower()}", err=True)
            tests = run_suite(root, environment, [])
            runs[environment.name] = (environment_versions(root, environment), tests)
        fresh = matrix.build(rulebook, exclude_newer(root), runs)
    except VersionsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    for name, entry in fresh["environments"].items():
        counts = entry["tests"]
        statuses = Counter(runs_of[name]["status"] for runs_of in fresh["rules"].values())
        typer.echo(
            f"{name}: {counts['passed']} passed, {counts['failed']} failed; rules: "
            + ", ".join(f"{statuses[s]} {s}" for s in ("holds", "differs", "breaks"))
        )
    if not check:
        (root / matrix.DATA).write_text(matrix.dumps(fresh), encoding="utf-8")
        typer.echo(f"wrote {matrix.DATA}; then run `uv run rulebook generate`")
        return
    committed = matrix.load(root)
    changes = ["no committed matrix"] if committed is None else matrix.differences(committed, fresh)
    for change in changes:
        typer.echo(f"changed: {change}", err=True)
    if changes:
        typer.echo(f"{matrix.DATA} is stale: run `uv run rulebook versions`.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{matrix.DATA} is current.")


@app.command()
def dev(
    root: RootOption = Path(),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port to listen on (8001: beside `mkdocs serve` on 8000).")
    ] = 8001,
) -> None:
    """Run the reference app with `fastapi dev`, migrated: on APP_DATABASE_URL if set, else on
    an embedded PostgreSQL started for the run and removed on exit (Ctrl-C)."""
    # Here, not at the top: the embedded server's package is loaded only by the command using
    # it, and it warns at import that XDG_RUNTIME_DIR is unset, which matters nothing here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from rulebook.devserver import serve

    raise typer.Exit(serve(root.resolve(), host, port))


def main() -> None:
    app()
