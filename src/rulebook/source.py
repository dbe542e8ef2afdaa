"""Load and validate the rule source: the rule pages under ``docs/`` and the files they include.

The order of sections and rules is the order of ``nav`` in ``mkdocs.yml``; a section is a nav
entry whose pages live in one folder with an ``index.md``. Every problem found is reported with
the file (and line) it is in, all at once, so one run shows everything to fix.
"""

import ast
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

RULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CAUGHT_BY_PATTERN = r"^(RB[1-9][0-9]{2}|ruff:[A-Z]+[0-9]+|mypy:[a-z][a-z-]*)$"
# pymdownx.snippets: `--8<-- "path"` or `--8<-- "path:region"`, optionally indented.
INCLUDE_RE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
REGION_MARK_RE = re.compile(r"--8<--\s+\[(?P<kind>start|end):(?P<name>[^\]]+)\]")
CARD_RE = re.compile(r"^\[\[rule-card (?P<id>[^\]\s]+)\]\]\s*$")
FRONT_MATTER_RE = re.compile(r"\A---\n(?P<yaml>.*?\n)---\n", re.DOTALL)
# Content tabs: `=== "Do"` opens the Do code, the next `=== "..."` line closes it.
TAB_RE = re.compile(r'^=== "(?P<label>[^"]+)"\s*$')
# What proves a rule: its table of tests, and under the Avoid what those tests observed.
PROOFS_HEADING = "## What proves it"
PROOFS_MARKER = "[[proofs]]"
EVIDENCE_MARKER = "[[evidence]]"
# A rule's line in the root file: short enough that every rule fits the tools' size limits.
IMPERATIVE_LIMIT = 80


class Problem(Exception):
    """One thing wrong with the rule source, located in a file (and line, when known)."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class RuleSourceError(Exception):
    """Every problem found in the rule source; raised only when there is at least one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"rule source has {count}:\n" + "\n".join(f"  {p}" for p in problems))


class FrontMatter(BaseModel):
    """The keys a rule page's front matter must have, and no others."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN)]
    # What the rule's line in the root agent file must keep: each appears in the Do code.
    identifiers: list[Annotated[str, StringConstraints(min_length=1)]]
    # The rule's line in the root agent file: one short imperative naming the identifiers.
    imperative: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=IMPERATIVE_LIMIT, pattern=r"^[^\n]*$"
        ),
    ]
    statement: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    # The static checks that catch the Avoid: `fastapi-rulebook lint` codes, `ruff:` and
    # `mypy:` codes; an empty list says the mistake shows only at run time.
    caught_by: list[Annotated[str, StringConstraints(pattern=CAUGHT_BY_PATTERN)]]
    proven_by: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^tests/\S+\.py::\S+$")]],
        Field(min_length=1),
    ]
    # The proofs of the Avoid: the mistake fails the way the page says. On other releases a
    # failure of these alone means the claim changed, not that the Do broke.
    avoid_proofs: list[str]


DEFAULT_SCOPE = ("**/*.py",)


class SectionFrontMatter(BaseModel):
    """The optional front matter of a section's index.md."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    applies_to: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[^\s,]+$")]], Field(min_length=1)
    ]


@dataclass(frozen=True)
class Include:
    """A file, or a named region of one, that a page shows."""

    path: str
    region: str | None
    line: int


@dataclass(frozen=True)
class Proof:
    """A test of `proven_by`: where it is, what it shows, and whether it proves the Avoid."""

    node_id: str
    line: int
    shows: str
    avoid: bool

    @property
    def file(self) -> str:
        return self.node_id.partition("::")[0]

    @property
    def name(self) -> str:
        return self.node_id.partition("::")[2]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    statement: str
    imperative: str
    identifiers: tuple[str, ...]
    proven_by: tuple[str, ...]
    page: Path  # relative to the docs folder, e.g. lifecycle/lifespan.md
    includes: tuple[Include, ...]
    avoid_summaries: tuple[str, ...] = ()  # first docstring line of each avoid.py shown
    caught_by: tuple[str, ...] = ()  # static codes that catch the Avoid; () = runtime only
    avoid_proofs: tuple[str, ...] = ()  # the proofs of `proven_by` that prove the Avoid wrong
    proofs: tuple[Proof, ...] = ()  # every test of `proven_by`, in its order


@dataclass(frozen=True)
class Section:
    title: str
    folder: str  # the section's folder under docs/, e.g. lifecycle
    rules: tuple[Rule, ...]
    applies_to: tuple[str, ...] = DEFAULT_SCOPE  # globs of the files these rules govern

    @property
    def slug(self) -> str:
        return self.folder.replace("/", "-")


@dataclass(frozen=True)
class Rulebook:
    root: Path
    sections: tuple[Section, ...]
    site_url: str = ""  # mkdocs.yml `site_url`, ending in "/"; "" when not set
    repo_url: str = ""  # mkdocs.yml `repo_url`; "" when not set

    def blob_url(self, path: str, line: int | None = None) -> str:
        """Where a file of this repository (its main branch) is shown, at `line` when given;
        "" when no `repo_url` is set."""
        if not self.repo_url:
            return ""
        anchor = "" if line is None else f"#L{line}"
        return f"{self.repo_url.rstrip('/')}/blob/main/{path}{anchor}"

    def source_link(self, path: str) -> str:
        """A Markdown link to a file of this repository, or its name alone."""
        url = self.blob_url(path)
        return f"[`{path}`]({url})" if url else f"`{path}`"

    def url(self, rule: Rule) -> str:
        """Where the rule's page is published (directory URLs, as MkDocs builds them)."""
        return f"{self.site_url}{rule.page.with_suffix('').as_posix()}/"

    @property
    def rules(self) -> Iterator[Rule]:
        for section in self.sections:
            yield from section.rules


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name:` and `!ENV` tags we do not need to resolve."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsLoader.add_multi_constructor("", _ignore_tag)


def read_config(root: Path) -> dict[str, Any]:
    config_path = root / "mkdocs.yml"
    try:
        config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except FileNotFoundError:
        raise RuleSourceError([Problem(config_path, "not found")]) from None
    except yaml.YAMLError as error:
        raise RuleSourceError([Problem(config_path, f"invalid YAML: {error}")]) from None
    if not isinstance(config, dict) or not isinstance(config.get("nav"), list):
        raise RuleSourceError([Problem(config_path, "has no `nav` list")])
    return config


def _nav_sections(root: Path, nav: list[Any]) -> Iterator[tuple[str, list[str]]]:
    """Yield (title, pages) for every nav entry with children, at any depth, in nav order:
    a section of rules may sit inside a group (a top tab such as "Rules")."""
    for entry in nav:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        ((title, children),) = entry.items()
        if not isinstance(children, list):
            continue
        pages = [_nav_page(child) for child in children]
        yield str(title), [page for page in pages if page is not None]
        yield from _nav_sections(root, children)


def _nav_page(child: Any) -> str | None:
    if isinstance(child, str):
        return child
    if isinstance(child, dict) and len(child) == 1:
        (value,) = child.values()
        return value if isinstance(value, str) else None
    return None


def read_section_scope(root: Path, index: Path) -> tuple[str, ...]:
    """The globs a section applies to, from its index.md front matter (default: Python files)."""
    display = Path("docs") / index
    if not (root / "docs" / index).is_file():
        raise Problem("mkdocs.yml", f"`nav` lists `{index}`, which is no file")
    text = (root / "docs" / index).read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return DEFAULT_SCOPE
    data, _, _ = split_front_matter(display, text)
    try:
        return tuple(SectionFrontMatter.model_validate(data).applies_to)
    except ValidationError as error:
        raise RuleSourceError(
            _front_matter_problems(SectionFrontMatter, error, display, text)
        ) from None


# libyaml's parser, which PyYAML's wheels bundle, reads front matter several times faster.
FrontMatterLoader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    """Return the front matter, the body and the line number the body starts at."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise Problem(path, "no front matter: the page must start with a `---` YAML block", 1)
    try:
        data = yaml.load(match["yaml"], Loader=FrontMatterLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise Problem(path, f"front matter is not valid YAML: {error}", line) from None
    if not isinstance(data, dict):
        raise Problem(path, "front matter must be a mapping of keys to values", 2)
    body_start = match["yaml"].count("\n") + 3
    return data, text[match.end() :], body_start


def _key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


_FRIENDLY_ERRORS = {
    "missing": "required front-matter key is missing",
    "string_too_short": "must not be empty",
}


def _front_matter_problems(
    model: type[BaseModel], error: ValidationError, path: Path, text: str
) -> list[Problem]:
    """One problem per validation error of `model`, naming the key and the line it is on."""
    allowed = ", ".join(model.model_fields)
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "front matter"
        message = _FRIENDLY_ERRORS.get(item["type"], item["msg"])
        if item["type"] == "extra_forbidden":
            message = f"unknown front-matter key (allowed: {allowed})"
        problems.append(Problem(path, f"`{field}`: {message}", _key_line(text, field) or 2))
    return problems


def _parse_front_matter(path: Path, text: str, data: dict[str, Any]) -> FrontMatter:
    try:
        return FrontMatter.model_validate(data)
    except ValidationError as error:
        raise RuleSourceError(_front_matter_problems(FrontMatter, error, path, text)) from None


def find_includes(body: str, first_line: int) -> Iterator[Include]:
    for offset, line in enumerate(body.splitlines()):
        if match := INCLUDE_RE.match(line):
            target = match["target"]
            path, _, region = target.partition(":")
            yield Include(path=path, region=region or None, line=first_line + offset)


def pasted_code(page: Path) -> Iterator[int]:
    """Lines of the page's Python code blocks that hold code instead of `--8<--` includes."""
    # Imported here: it imports pytest, which a site build (MkDocs, Zensical) never needs.
    from pytest_examples import find_examples

    for example in find_examples(page):
        for offset, line in enumerate(example.source.splitlines()):
            if line.strip() and not INCLUDE_RE.match(line):
                yield example.start_line + 1 + offset  # start_line is the fence


def regions_in(text: str) -> set[str]:
    """Named regions that are both opened and closed in a file."""
    starts: set[str] = set()
    ends: set[str] = set()
    for match in REGION_MARK_RE.finditer(text):
        (starts if match["kind"] == "start" else ends).add(match["name"])
    return starts & ends


def included_text(root: Path, target: str) -> str:
    """What pymdownx.snippets shows for `path` or `path:region`: marker lines left out."""
    path, _, region = target.partition(":")
    text = (root / path).read_text(encoding="utf-8")
    if region:
        start = re.search(rf"--8<--\s+\[start:{re.escape(region)}\].*\n", text)
        end = re.search(rf".*--8<--\s+\[end:{re.escape(region)}\]", text)
        if start is None or end is None:
            raise ValueError(f"{path}: no region `{region}`")
        text = textwrap.dedent(text[start.end() : end.start()])
    lines = [line for line in text.splitlines() if not REGION_MARK_RE.search(line)]
    return "\n".join(lines).strip("\n")


def do_code(root: Path, body: str) -> str:
    """The code the page's Do tab shows: every file or region it includes, joined."""
    targets: list[str] = []
    in_do = False
    for line in body.splitlines():
        if tab := TAB_RE.match(line):
            in_do = tab["label"] == "Do"
        elif in_do and (match := INCLUDE_RE.match(line)):
            targets.append(match["target"])
    return "\n".join(included_text(root, target) for target in targets)


def _check_identifiers(
    root: Path, page: Path, text: str, body: str, front: FrontMatter
) -> Iterator[Problem]:
    """Each identifier is in the imperative as written, and in the Do code (spacing aside)."""
    line = _key_line(text, "identifiers")
    code = re.sub(r"\s+", "", do_code(root, body))
    for identifier in front.identifiers:
        if identifier not in front.imperative:
            yield Problem(page, f"`identifiers`: `{identifier}` is not in the `imperative`", line)
        if re.sub(r"\s+", "", identifier) not in code:
            yield Problem(page, f"`identifiers`: `{identifier}` is not in the Do code", line)


def _check_include(root: Path, page: Path, include: Include) -> Iterator[Problem]:
    target = root / include.path
    if include.region is not None and re.fullmatch(r"[\d:,-]+", include.region):
        yield Problem(
            page,
            f"include `{include.path}:{include.region}` uses line numbers; "
            "mark a named region instead",
            include.line,
        )
        return
    if not target.is_file():
        yield Problem(page, f"include points at no file: `{include.path}`", include.line)
        return
    if include.region is not None and include.region not in regions_in(
        target.read_text(encoding="utf-8")
    ):
        yield Problem(
            page,
            f"include points at no region `{include.region}` in `{include.path}` "
            f"(mark it with `# --8<-- [start:{include.region}]` ... `[end:{include.region}]`)",
            include.line,
        )


@dataclass(frozen=True)
class TestFunction:
    line: int
    shows: str  # the first paragraph of its docstring, on one line; "" without one


def test_functions(path: Path) -> Mapping[str, TestFunction]:
    """Test ids defined in a test module (`test_x` and `TestClass::test_x`), each with its
    line and what its docstring says it shows."""
    return _test_functions_in(path.read_text(encoding="utf-8"), str(path))


# A rule source names a few hundred proofs in a few dozen test modules: each module's source
# is parsed once, not once per proof (a reload after an edit parses only what changed).
@lru_cache(maxsize=512)
def _test_functions_in(source: str, filename: str) -> Mapping[str, TestFunction]:
    tree = ast.parse(source, filename=filename)
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    found: dict[str, TestFunction] = {}

    def add(name: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        paragraph = (ast.get_docstring(node) or "").strip().split("\n\n")[0]
        found[name] = TestFunction(node.lineno, " ".join(paragraph.split()))

    for node in tree.body:
        if isinstance(node, functions):
            add(node.name, node)
        elif isinstance(node, ast.ClassDef):
            for child in node.body:
                if isinstance(child, functions):
                    add(f"{node.name}::{child.name}", child)
    return MappingProxyType(found)


def _check_proof(
    root: Path, page: Path, node_id: str, line: int | None
) -> tuple[TestFunction | None, list[Problem]]:
    file, _, test = node_id.partition("::")
    test = test.split("[", 1)[0]  # a parametrized id names the same function
    if not (root / file).is_file():
        return None, [Problem(page, f"`proven_by`: no test file `{file}`", line)]
    function = test_functions(root / file).get(test)
    if function is None:
        return None, [Problem(page, f"`proven_by`: no test `{test}` in `{file}`", line)]
    return function, []


EVIDENCE = Path("evidence")  # what each Avoid proof observed (tests/evidence.py writes it)


def evidence_file(node_id: str) -> Path:
    """Where a test's evidence is kept: `tests/rules/a/test_b.py::test_c` is
    `evidence/rules/a/test_b/test_c.txt`."""
    file, _, test = node_id.partition("::")
    module = Path(file).with_suffix("")
    parts = module.parts[1:] if module.parts[:1] == ("tests",) else module.parts
    *classes, name = test.split("::")
    function, bracket, parameter = name.partition("[")
    # A parameter id may hold dots, slashes or colons (a URL): one file name all the same.
    name = function + bracket + re.sub(r"[/\\:]+", "_", parameter)
    return EVIDENCE.joinpath(*parts, *classes, f"{name}.txt")


def evidence_files(root: Path, node_id: str) -> list[Path]:
    """The evidence a proof wrote: its file, or one per parameter of a parametrized test
    (`test_c[a].txt`, `test_c[b].txt`)."""
    file = evidence_file(node_id)
    if (root / file).is_file():
        return [file]
    if "[" in file.name:
        return []
    prefix = f"{file.stem}["
    folder = root / file.parent
    found = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    return [path.relative_to(root) for path in found if path.name.startswith(prefix)]


AVOID_FILE = "avoid.py"


def is_avoid_module(path: str) -> bool:
    """Python Avoid code: an `avoid.py`, or a module of an `avoid/` package (an Avoid that
    takes two modules, such as an import cycle)."""
    file = Path(path)
    return file.name == AVOID_FILE or (
        file.suffix == ".py" and file.name != "__init__.py" and "avoid" in file.parent.parts
    )


def avoid_summary(path: Path) -> str | None:
    """The first line of an Avoid snippet's module docstring."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return docstring.strip().splitlines()[0].strip() if docstring and docstring.strip() else None


def _line_containing(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def read_rule(root: Path, page: Path) -> tuple[Rule | None, tuple[Include, ...], list[Problem]]:
    """Read one rule page (path relative to docs/): the rule if it is valid, the files it
    includes (found even when the page has other problems) and every problem found."""
    display = Path("docs") / page
    text = (root / "docs" / page).read_text(encoding="utf-8")
    try:
        data, body, body_line = split_front_matter(display, text)
    except Problem as problem:
        return None, tuple(find_includes(text, 1)), [problem]
    includes = tuple(find_includes(body, body_line))
    problems = [p for include in includes for p in _check_include(root, display, include)]
    problems.extend(
        Problem(
            display, "code pasted into a Python block: include it from a file with `--8<--`", line
        )
        for line in pasted_code(root / "docs" / page)
    )
    try:
        front = _parse_front_matter(display, text, data)
    except RuleSourceError as error:
        return None, includes, error.problems + problems
    if front.id != page.stem:
        problems.append(
            Problem(
                display,
                f"`id`: `{front.id}` must equal the file name `{page.stem}`",
                _key_line(text, "id"),
            )
        )
    lines = body.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    title = lines[first][2:].strip() if lines and lines[first].startswith("# ") else ""
    if not title:
        problems.append(
            Problem(display, "the body must start with a `# Title` line", body_line + first)
        )
    cards = [(n, m["id"]) for n, line in enumerate(lines) if (m := CARD_RE.match(line))]
    if len(cards) != 1:
        problems.append(
            Problem(
                display,
                f"needs exactly one `[[rule-card {front.id}]]` line, found {len(cards)}",
                body_line + first,
            )
        )
    elif cards[0][1] != front.id:
        problems.append(
            Problem(
                display,
                f"`[[rule-card {cards[0][1]}]]` names another rule; use `[[rule-card {front.id}]]`",
                body_line + cards[0][0],
            )
        )
    if not problems:  # the Do code is readable: every include resolved
        problems.extend(_check_identifiers(root, display, text, body, front))
    proofs: list[Proof] = []
    for node_id in front.proven_by:
        function, found = _check_proof(root, display, node_id, _line_containing(text, node_id))
        problems.extend(found)
        if function is not None and not function.shows:
            problems.append(
                Problem(
                    node_id.partition("::")[0],
                    f"`{node_id.partition('::')[2]}` proves a rule and has no docstring saying "
                    "what it shows (the page's table of proofs shows it)",
                    function.line,
                )
            )
        if function is not None:
            avoid = node_id in front.avoid_proofs
            proofs.append(Proof(node_id, function.line, function.shows, avoid))
            if avoid and not evidence_files(root, node_id):
                problems.append(
                    Problem(
                        display,
                        f"`avoid_proofs`: no evidence file `{evidence_file(node_id)}`: give the "
                        f"test the `evidence` fixture and run `uv run pytest --update-evidence "
                        f"'{node_id}'`",
                        _avoid_proof_line(text, node_id),
                    )
                )
    problems.extend(_check_markers(display, body, body_line))
    for node_id in front.avoid_proofs:
        if node_id not in front.proven_by:
            problems.append(
                Problem(
                    display,
                    f"`avoid_proofs`: `{node_id}` is not in `proven_by`",
                    _line_containing(text, f"- {node_id}") or _key_line(text, "avoid_proofs"),
                )
            )
    avoid_summaries: list[str] = []
    for include in includes:
        if is_avoid_module(include.path) and (root / include.path).is_file():
            summary = avoid_summary(root / include.path)
            if summary is None:
                problems.append(
                    Problem(
                        include.path,
                        "an Avoid snippet starts with a docstring "
                        "saying what it does wrong (the Avoid summary shows it)",
                        1,
                    )
                )
            elif summary not in avoid_summaries:
                avoid_summaries.append(summary)
    if problems:
        return None, includes, problems
    rule = Rule(
        id=front.id,
        title=title,
        statement=" ".join(front.statement.split()),
        imperative=front.imperative,
        identifiers=tuple(front.identifiers),
        proven_by=tuple(front.proven_by),
        page=page,
        includes=includes,
        avoid_summaries=tuple(avoid_summaries),
        caught_by=tuple(front.caught_by),
        avoid_proofs=tuple(front.avoid_proofs),
        proofs=tuple(proofs),
    )
    return rule, includes, []


def _avoid_proof_line(text: str, node_id: str) -> int | None:
    """The line of `node_id` under `avoid_proofs:`, not its first mention, under `proven_by`."""
    start = _key_line(text, "avoid_proofs") or 1
    found = _line_containing("\n".join(text.splitlines()[start - 1 :]), f"- {node_id}")
    return start - 1 + found if found else None


def _check_markers(page: Path, body: str, body_line: int) -> Iterator[Problem]:
    """One `[[proofs]]` under "## What proves it", and one `[[evidence]]` in the Avoid tab."""
    lines = body.splitlines()
    proofs = [n for n, line in enumerate(lines) if line.strip() == PROOFS_MARKER]
    heading = next((n for n, line in enumerate(lines) if line.strip() == PROOFS_HEADING), None)
    if len(proofs) != 1 or heading is None or proofs[0] < heading:
        yield Problem(
            page,
            f"needs one `{PROOFS_MARKER}` line under `{PROOFS_HEADING}` (the table of proofs)",
            body_line + (proofs[0] if proofs else heading or 0),
        )
    evidence = [n for n, line in enumerate(lines) if line.strip() == EVIDENCE_MARKER]
    tab = None
    if len(evidence) == 1:
        labels = [m["label"] for line in lines[: evidence[0]] if (m := TAB_RE.match(line))]
        tab = labels[-1] if labels else None
    if len(evidence) != 1 or tab != "Avoid" or not lines[evidence[0]].startswith("    "):
        yield Problem(
            page,
            f'needs one `    {EVIDENCE_MARKER}` line inside the `=== "Avoid"` tab (what its '
            "proofs observed)",
            body_line + (evidence[0] if evidence else 0),
        )


def _check_snippet_tree(root: Path, shown: set[str]) -> Iterator[Problem]:
    snippets = root / "snippets"
    if not snippets.is_dir():
        return
    for folder in sorted([snippets, *(p for p in snippets.rglob("*") if p.is_dir())]):
        if folder.name == "__pycache__" or "__pycache__" in folder.parts:
            continue
        if not (folder / "__init__.py").is_file():
            yield Problem(folder.relative_to(root), "snippet folder has no `__init__.py`")
    for file in sorted(snippets.rglob("*.py")):
        relative = file.relative_to(root).as_posix()
        if file.name != "__init__.py" and relative not in shown:
            yield Problem(relative, "snippet is shown on no page (include it or delete it)")


def _check_evidence_tree(root: Path, sections: list[Section]) -> Iterator[Problem]:
    """Every evidence file belongs to an Avoid proof: a renamed or dropped test leaves none."""
    expected = {
        file
        for section in sections
        for rule in section.rules
        for node_id in rule.avoid_proofs
        for file in evidence_files(root, node_id)
    }
    for file in sorted((root / EVIDENCE).rglob("*")):
        relative = file.relative_to(root)
        if file.is_file() and relative not in expected:
            yield Problem(relative, "evidence of no test in any page's `avoid_proofs` (delete it)")


def load_rulebook(root: Path) -> Rulebook:
    """Load every rule in nav order, raising RuleSourceError listing every problem found."""
    root = root.resolve()
    docs = root / "docs"
    problems: list[Problem] = []
    sections: list[Section] = []
    seen_ids: dict[str, Path] = {}
    in_nav: set[Path] = set()
    shown: set[str] = set()
    config = read_config(root)
    for title, pages in _nav_sections(root, config["nav"]):
        folders = {Path(page).parent for page in pages}
        if not pages or len(folders) != 1 or Path(pages[0]).name != "index.md":
            continue  # not a section of rules
        folder = folders.pop()
        rules: list[Rule] = []
        for page in map(Path, pages):
            in_nav.add(page)
            if page.name == "index.md":
                continue
            if not (docs / page).is_file():
                problems.append(Problem("mkdocs.yml", f"`nav` lists `{page}`, which is no file"))
                continue
            rule, includes, found = read_rule(root, page)
            shown.update(include.path for include in includes)
            problems.extend(found)
            if rule is None:
                continue
            if rule.id in seen_ids:
                problems.append(
                    Problem(
                        Path("docs") / page,
                        f"`id`: duplicate id `{rule.id}`, also used by docs/{seen_ids[rule.id]}",
                    )
                )
            seen_ids[rule.id] = page
            rules.append(rule)
        try:
            scope = read_section_scope(root, folder / "index.md")
        except Problem as problem:
            problems.append(problem)
            scope = DEFAULT_SCOPE
        except RuleSourceError as error:
            problems.extend(error.problems)
            scope = DEFAULT_SCOPE
        sections.append(Section(title, folder.as_posix(), tuple(rules), scope))
    section_folders = {Path(section.folder) for section in sections}
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs)
        if relative.parent in section_folders and relative not in in_nav:
            problems.append(
                Problem(Path("docs") / relative, "rule page is not listed in mkdocs.yml `nav`")
            )
    problems.extend(_check_snippet_tree(root, shown))
    if not problems:  # every page read: the Avoid proofs are all known
        problems.extend(_check_evidence_tree(root, sections))
    if problems:
        raise RuleSourceError(problems)
    site_url = str(config.get("site_url") or "")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    repo_url = str(config.get("repo_url") or "")
    return Rulebook(root=root, sections=tuple(sections), site_url=site_url, repo_url=repo_url)
