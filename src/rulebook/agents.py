"""The agent rule files: every target's files, rendered from the rule source.

The root (AGENTS.md) holds every rule as one line: its title, the imperative naming what to
write, and its page. The full statements go into the scoped files each tool loads with the
files they govern, and into the Agent Skill; tools that read a single file get one that stands
alone. Which tool reads what is data in `fastapi_rulebook.install.tools`; each target's
adapter is in `rulebook.adapters`.
"""

import hashlib
import posixpath
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from fastapi_rulebook.install.files import HEADER_MARK
from fastapi_rulebook.install.tools import ROOT_LIMIT, USER_ROOM, Limit, Tool, limits_of
from rulebook.matrix import newest_line
from rulebook.source import FRONT_MATTER_RE, Rule, Rulebook, Section

CODE_SPAN_RE = re.compile(r"`([^`]+)`")
WHY_RE = re.compile(r"^## Why\n(?P<why>.*?)(?=^## |\Z)", re.DOTALL | re.MULTILINE)
LINK_RE = re.compile(r"\]\((?P<target>[^)\s]+\.md)(?P<anchor>#[^)\s]*)?\)")

_environment = Environment(
    loader=PackageLoader("rulebook"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # Markdown out, not HTML
)


def project_version(root: Path) -> str:
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def header(body: str, version: str, comment: str = "<!-- {} -->") -> str:
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    text = f"{HEADER_MARK} {version} from its rule pages; do not edit by hand. sha256:{digest}"
    return comment.format(text)


@dataclass(frozen=True)
class Book:
    """What every adapter renders from: the rule source and the version it is published as."""

    rulebook: Rulebook
    version: str

    @property
    def sections(self) -> list[Section]:
        return [section for section in self.rulebook.sections if section.rules]

    def render(self, template: str, **context: object) -> str:
        return _environment.get_template(template).render(
            sections=self.sections,
            site_url=self.rulebook.site_url,
            page=page,
            url=self.rulebook.url,
            plain=plain,
            statement_line=statement_line,
            why=lambda rule: why(self.rulebook, rule),
            newest=newest_line(self.rulebook),
            **context,
        )

    def with_header(self, body: str, front_matter: str = "", comment: str = "<!-- {} -->") -> str:
        """A whole file: its front matter, the generated header (hashing the body), the body."""
        return f"{front_matter}{header(body, self.version, comment)}\n\n{body}"

    def file(self, template: str, front_matter: str | None = None, **context: object) -> str:
        """A file rendered from `template`, under the front matter a template gives it."""
        front = self.render(front_matter, **context) if front_matter else ""
        return self.with_header(self.render(template, **context), front)

    def scoped(self, front_matter: str, section: Section) -> str:
        """One section's full statements, under the front matter its tool documents."""
        return self.file("section.md.j2", front_matter, section=section)


def page(rule: Rule) -> str:
    """A rule's page, relative to the site: `section/rule-id/`."""
    return f"{rule.page.with_suffix('').as_posix()}/"


def plain(text: str) -> str:
    """Markdown code spans unwrapped: the compact form spends no characters on backticks."""
    return CODE_SPAN_RE.sub(r"\1", text)


def statement_line(rule: Rule) -> str:
    return f"- **{rule.title}**: {rule.statement}"


def why(rulebook: Rulebook, rule: Rule) -> str:
    """The page's `## Why` section, its links to other pages made absolute."""
    text = (rulebook.root / "docs" / rule.page).read_text(encoding="utf-8")
    text = text[match.end() :] if (match := FRONT_MATTER_RE.match(text)) else text
    found = WHY_RE.search(text)
    if found is None:
        return ""

    def absolute(link: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(rule.page.parent.as_posix(), link["target"]))
        return f"]({rulebook.site_url}{target.removesuffix('.md')}/{link['anchor'] or ''})"

    return "**Why**\n\n" + LINK_RE.sub(absolute, found["why"].strip())


def root_line(rule: Rule) -> str:
    """A rule's line in the root file (AGENTS.md, and the files that stand alone)."""
    return f"- {rule.title}: {rule.imperative} ({rule.id}/)"


def compact_root(book: Book) -> str:
    return book.file("root.md.j2")


Adapter = Callable[[Book], dict[str, str]]


def over_limit(files: dict[str, str]) -> list[str]:
    """A message naming the file, its size, the limit and the tool, for each file over it."""
    messages = []
    for path, text in sorted(files.items()):
        for tool, limit in limits_of(path):
            room = USER_ROOM if limit is ROOT_LIMIT else 0
            if (size := limit.measure(text)) > limit.size - room:
                left = f", less {room:,} left for the repository's own text" if room else ""
                messages.append(
                    f"{path}: {size:,} {limit.unit}, over {tool.name}'s limit of "
                    f"{limit.size:,}{left} ({limit.documented_by}); shorten the rules' "
                    "imperatives or statements"
                )
    return messages


def tightest_limit(path: str) -> tuple[Tool, Limit] | None:
    """The smallest documented limit on a file, for the downloads page."""
    limits = limits_of(path)
    return min(limits, key=lambda found: found[1].size) if limits else None
