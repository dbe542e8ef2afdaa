"""llms.txt (an index of the rule pages) and llms-full.txt (every page, code included)."""

from rulebook.source import CARD_RE, FRONT_MATTER_RE, INCLUDE_RE, Rulebook, included_text

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


def expand_page(rulebook: Rulebook, text: str, statement: str) -> str:
    front_matter = FRONT_MATTER_RE.match(text)
    body = text[front_matter.end() :] if front_matter else text
    out: list[str] = []
    for line in body.splitlines():
        if CARD_RE.match(line):
            out.append(f"**The rule:** {statement}")
        elif match := INCLUDE_RE.match(line):
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
            parts.append(
                f"<!-- {rulebook.url(rule)} -->\n\n{expand_page(rulebook, page, rule.statement)}"
            )
    return "\n\n".join(parts) + "\n"
