"""llms.txt (an index of the rule pages) and llms-full.txt (every page, code included)."""

from rulebook.proofs import render_evidence, render_proofs
from rulebook.source import (
    CARD_RE,
    EVIDENCE_MARKER,
    FRONT_MATTER_RE,
    INCLUDE_RE,
    PROOFS_MARKER,
    Rule,
    Rulebook,
    included_text,
)

SUMMARY = (
    "A tested rule set for async FastAPI services on Python 3.14 (FastAPI 0.139, Pydantic 2.13, "
    "SQLAlchemy 2.0 async with asyncpg): every rule has Do and Avoid code that pytest runs "
    "against PostgreSQL."
)


def llms_index(rulebook: Rulebook) -> str:
    lines = [f"# FastAPI Rulebook\n\n> {SUMMARY}\n"]
    for section in rulebook.sections:
        if section.rules:
            lines.append(f"## {section.title}\n")
            lines.extend(f"- [{rule.title}]({rulebook.url(rule)})" for rule in section.rules)
            lines.append("")
    lines.append("## Optional\n")
    lines.append(f"- [Every rule page in full]({rulebook.site_url}llms-full.txt)")
    lines.append(f"- [AGENTS.md]({rulebook.site_url}downloads/agents-md.txt)")
    return "\n".join(lines) + "\n"


def expand_page(rulebook: Rulebook, text: str, rule: Rule) -> str:
    """A rule page as plain Markdown: its card as the statement, its proofs and evidence drawn,
    every include replaced by the file's text."""
    front_matter = FRONT_MATTER_RE.match(text)
    body = text[front_matter.end() :] if front_matter else text
    drawn: list[str] = []
    for line in body.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        if CARD_RE.match(line):
            drawn.append(f"**The rule:** {rule.statement}")
        elif line.strip() == PROOFS_MARKER:
            drawn.extend(render_proofs(rulebook, rule))
        elif line.strip() == EVIDENCE_MARKER:
            drawn.extend(render_evidence(rulebook, rule, indent))
        else:
            drawn.append(line)
    out: list[str] = []
    for line in drawn:
        if match := INCLUDE_RE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            code = included_text(rulebook.root, match["target"])
            out.extend(f"{indent}{code_line}".rstrip() for code_line in code.splitlines())
        else:
            out.append(line)
    return "\n".join(out).strip()


def llms_full(rulebook: Rulebook) -> str:
    parts = [f"# FastAPI Rulebook\n\n> {SUMMARY}"]
    for section in rulebook.sections:
        for rule in section.rules:
            page = (rulebook.root / "docs" / rule.page).read_text(encoding="utf-8")
            parts.append(f"<!-- {rulebook.url(rule)} -->\n\n{expand_page(rulebook, page, rule)}")
    return "\n\n".join(parts) + "\n"
