"""Proofs for how-to-work/ask-before: the four kinds of change to ask about first each show in
a diff. The Avoid (a change made without asking) holds all four; the Do's smallest diff and an
additive migration hold none."""

from pathlib import Path

from snippets.how_to_work.ask_before import review
from snippets.how_to_work.ask_before.review import (
    API_SHAPE,
    AUTH_MODEL,
    DESTRUCTIVE_MIGRATION,
    NEW_DEPENDENCY,
    asks,
)
from snippets.how_to_work.reviewed_migrations import do as additive_migration
from tests.evidence import Evidence

SNIPPETS = Path(review.__file__).parents[1]


def new_file_diff(path: str, text: str) -> str:
    lines = text.splitlines()
    added = "\n".join(f"+{line}" for line in lines)
    return f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{added}\n"


def test_change_made_without_asking_holds_all_four_kinds(evidence: Evidence) -> None:
    """The check finds, in the Avoid's diff, the new requirement `"httpx-oauth>=0.16,<0.17"` in
    `pyproject.toml`, the `get_current_user` changes in `src/app/api/deps.py` (the `Header()`
    user id among them), the token route's status code in `routers/auth.py`, the `UserRead`
    field swap in `schemas/user.py` (`created_at` removed), and `op.drop_column("users",
    "hashed_password")` in the new migration; not its `add_column`."""
    found = asks((SNIPPETS / "ask_before" / "avoid.diff").read_text())
    shown: list[str] = []
    heading = ""
    for ask in found:  # the changed lines under their file and kind, in the diff's order
        if f"{ask.file} ({ask.kind})" != heading:
            heading = f"{ask.file} ({ask.kind})"
            shown += [*([""] if shown else []), heading]
        shown.append(ask.line)
    evidence.add("\n".join(shown), "review.asks(), on the Avoid's diff: what needed asking")

    assert {(ask.kind, ask.file) for ask in found} == {
        (NEW_DEPENDENCY, "pyproject.toml"),
        (AUTH_MODEL, "src/app/api/deps.py"),
        (API_SHAPE, "src/app/api/routers/auth.py"),
        (API_SHAPE, "src/app/schemas/user.py"),
        (DESTRUCTIVE_MIGRATION, "alembic/versions/2026_11_27_9d1c2e3f4a5b_google_login.py"),
    }
    by_kind = {kind: [a.line for a in found if a.kind == kind] for kind in {a.kind for a in found}}
    assert by_kind[NEW_DEPENDENCY] == ['+    "httpx-oauth>=0.16,<0.17",']
    assert by_kind[DESTRUCTIVE_MIGRATION] == ['+    op.drop_column("users", "hashed_password")']
    assert "-    created_at: datetime" in by_kind[API_SHAPE]  # a response field removed
    assert any("Header()" in line for line in by_kind[AUTH_MODEL])  # a client-sent user id


def test_smallest_diff_and_an_additive_migration_need_no_asking() -> None:
    """The smallest-diff Do (a new optional query parameter) and the reviewed migration (a
    nullable column added, dropped only in its `downgrade()`) give no findings."""
    migration = new_file_diff(
        "alembic/versions/2026_11_27_5c1e0a7d2b9f_add_customers_phone.py",
        Path(additive_migration.__file__).read_text(),
    )

    assert asks((SNIPPETS / "smallest_diff" / "do.diff").read_text()) == []
    # Its downgrade() drops the column it adds: expected, and not flagged.
    assert "op.drop_column" in migration
    assert asks(migration) == []


def test_only_what_matches_is_flagged() -> None:
    """A new `filterwarnings` entry in `pyproject.toml` is not a dependency; an
    `alter_column(..., type_=sa.Text())` is a rewrite; in `core/config.py`, changing
    `access_token_ttl_minutes` is an auth change and changing `database_url` is not."""
    toml = (
        "--- a/pyproject.toml\n+++ b/pyproject.toml\n@@ -1,2 +1,3 @@\n"
        ' filterwarnings = [\n     "error",\n+    "ignore::DeprecationWarning",\n'
    )
    rewrite = new_file_diff(
        "alembic/versions/x_widen.py",
        "def upgrade() -> None:\n"
        '    op.alter_column("users", "email", type_=sa.Text())\n'
        "\n\ndef downgrade() -> None:\n    pass\n",
    )
    settings = (
        "--- a/src/app/core/config.py\n+++ b/src/app/core/config.py\n@@ -1,2 +1,2 @@\n"
        "-    access_token_ttl_minutes: int = 30\n+    access_token_ttl_minutes: int = 60 * 24\n"
        "-    database_url: str\n+    database_url: PostgresDsn\n"
    )

    assert asks(toml) == []  # a TOML string that is not a requirement
    assert [a.kind for a in asks(rewrite)] == [DESTRUCTIVE_MIGRATION]  # a type rewrite
    assert [a.line for a in asks(settings)] == [
        "-    access_token_ttl_minutes: int = 30",
        "+    access_token_ttl_minutes: int = 60 * 24",
    ]
