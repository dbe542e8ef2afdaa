"""The parts of a change to ask a person about before making it, read from its unified diff.

Four kinds need a go-ahead: a new dependency, a change to the auth or security model, a change
to the public API's shape (routes, status codes, response schemas), and a migration that drops
or rewrites data. Each shows in the diff, so an agent can check its own change for them before
it hands the change over.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

NEW_DEPENDENCY = "new dependency"
AUTH_MODEL = "auth or security model"
API_SHAPE = "public API shape"
DESTRUCTIVE_MIGRATION = "destructive migration"

# A PEP 508 requirement with a version, as pyproject.toml lists dependencies: "name>=1.2",
REQUIREMENT = re.compile(r'^\s*"[A-Za-z0-9][\w.\-]*(\[[\w,\-]+\])?\s*(==|>=|<=|~=|!=|>|<)')
AUTH_FILE = re.compile(r"(^|/)(core/security|api/deps)\.py$")
SETTINGS_FILE = re.compile(r"(^|/)core/config\.py$")
AUTH_SETTING = re.compile(r"\b(jwt_\w+|access_token_\w+|secret\w*)\s*:")
ROUTER_FILE = re.compile(r"(^|/)api/routers/\w+\.py$")
ROUTE_LINE = re.compile(r"@router\.\w+\(|APIRouter\(|status_code=|response_model=")
SCHEMA_FILE = re.compile(r"(^|/)schemas/\w+\.py$")
SCHEMA_LINE = re.compile(r"^\s*(class \w+\(|\w+: )")
MIGRATION_FILE = re.compile(r"(^|/)alembic/versions/\w+\.py$")
DESTRUCTIVE = re.compile(
    r"op\.(drop_column|drop_table|drop_constraint)\(|op\.alter_column\(.*type_=|op\.execute\("
)


@dataclass(frozen=True)
class Ask:
    kind: str
    file: str
    line: str  # the changed line, with its + or -


def changed_lines(diff: str) -> Iterator[tuple[str, str]]:
    """(file, line) for every added or removed line of a unified diff."""
    file = ""
    for line in diff.splitlines():
        if line.startswith("+++ "):
            file = line[4:].removeprefix("b/")
        elif line[:1] in "+-" and not line.startswith(("+++ ", "--- ")):
            yield file, line


def kind_of(file: str, line: str) -> str | None:
    text = line[1:]
    if file == "pyproject.toml" and line.startswith("+") and REQUIREMENT.match(text):
        return NEW_DEPENDENCY
    if AUTH_FILE.search(file) or (SETTINGS_FILE.search(file) and AUTH_SETTING.search(text)):
        return AUTH_MODEL
    if (ROUTER_FILE.search(file) and ROUTE_LINE.search(text)) or (
        SCHEMA_FILE.search(file) and SCHEMA_LINE.match(text)
    ):
        return API_SHAPE
    if MIGRATION_FILE.search(file) and line.startswith("+") and DESTRUCTIVE.search(text):
        return DESTRUCTIVE_MIGRATION
    return None


def asks(diff: str) -> list[Ask]:
    """Every changed line of `diff` that needs a person's go-ahead, in diff order. A
    migration's `downgrade()` is skipped: undoing an addition drops it, and that is expected."""
    found: list[Ask] = []
    in_downgrade = False
    for file, line in changed_lines(diff):
        if line.startswith("+def "):
            in_downgrade = line.startswith("+def downgrade(")
        kind = kind_of(file, line)
        if kind is not None and not (kind == DESTRUCTIVE_MIGRATION and in_downgrade):
            found.append(Ask(kind, file, line))
    return found
