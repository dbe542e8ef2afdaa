"""The version matrix: how each rule fares when its proofs run on other releases.

A rule *holds* in an environment when all its proofs pass, *differs* when only its Avoid proofs
fail (the mistake no longer fails the way the page says), and *breaks* when a Do proof fails.
Tests marked ``timing`` are recorded apart and never decide a status: they depend on how busy
the machine is, so they stay out of the staleness comparison too.
"""

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rulebook.environments import ENVIRONMENTS, Environment, project_dir
from rulebook.source import Rule, Rulebook

DATA = Path("versions/matrix.json")
# The packages the rules are about, in the order the site shows them.
PACKAGES = (
    "fastapi",
    "starlette",
    "pydantic",
    "pydantic-settings",
    "sqlalchemy",
    "asyncpg",
    "psycopg",
    "alembic",
    "uvicorn",
    "pyjwt",
    "pwdlib",
    "httpx",
    "pytest",
    "pytest-asyncio",
    "ruff",
    "mypy",
)
MESSAGE_LIMIT = 300  # characters of a failure's message the page shows
NOT_RUN = "not run: its module failed to import or the test no longer exists"

type Tests = dict[str, dict[str, Any]]  # node id -> {"outcome", "timing", "message"?}


def proof_failures(proof: str, tests: Tests) -> list[str]:
    """The failing test ids of one proof: a parametrized proof is each of its cases, and a
    proof that did not run at all counts as failing under its own id."""
    cases = [node for node in tests if node == proof or node.startswith(f"{proof}[")]
    if not cases:
        return [proof]
    return sorted(node for node in cases if tests[node]["outcome"] == "failed")


def classify(rule: Rule, tests: Tests) -> dict[str, Any]:
    """The rule's status in one run, its failing test ids, and its failing timing tests."""
    failing: list[str] = []
    timing: list[str] = []
    do_failed = False
    for proof in rule.proven_by:
        for node in proof_failures(proof, tests):
            if tests.get(node, {}).get("timing"):
                timing.append(node)
                continue
            failing.append(node)
            do_failed = do_failed or proof not in rule.avoid_proofs
    status = "breaks" if do_failed else "differs" if failing else "holds"
    return {"status": status, "failing": failing, "timing_failing": timing}


def environment_entry(versions: dict[str, str], tests: Tests) -> dict[str, Any]:
    """What a run records of its environment: versions, counts and every failure."""
    failures = {
        node: {"message": entry.get("message", NOT_RUN), "timing": bool(entry.get("timing"))}
        for node, entry in sorted(tests.items())
        if entry["outcome"] == "failed"
    }
    counts = Counter(entry["outcome"] for entry in tests.values())
    return {
        "versions": {name: versions.get(name) for name in PACKAGES},
        "tests": {outcome: counts[outcome] for outcome in ("passed", "failed", "skipped")},
        "failures": failures,
    }


def build(
    rulebook: Rulebook, exclude_newer: str, runs: dict[str, tuple[dict[str, str], Tests]]
) -> dict[str, Any]:
    """The matrix of every rule in every run environment (name -> (versions, outcomes))."""
    return {
        "exclude_newer": exclude_newer,
        "environments": {name: environment_entry(*run) for name, run in runs.items()},
        "rules": {
            rule.id: {name: classify(rule, tests) for name, (_, tests) in runs.items()}
            for rule in rulebook.rules
        },
    }


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """What a fresh run must reproduce: versions, statuses and failing ids. Messages, counts
    and timing tests are recorded but left out: they vary from run to run."""
    environments = {
        name: {
            "versions": entry["versions"],
            "failing": sorted(n for n, f in entry["failures"].items() if not f["timing"]),
        }
        for name, entry in data["environments"].items()
    }
    rules = {
        rule: {name: {k: v[k] for k in ("status", "failing")} for name, v in runs.items()}
        for rule, runs in data["rules"].items()
    }
    return {"exclude_newer": data["exclude_newer"], "environments": environments, "rules": rules}


def differences(committed: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """One line per thing a fresh run changed, to say why the committed matrix is stale."""
    old, new = comparable(committed), comparable(fresh)
    lines = []
    if old["exclude_newer"] != new["exclude_newer"]:
        lines.append(f"exclude-newer: {old['exclude_newer']} -> {new['exclude_newer']}")
    for name in sorted(old["environments"].keys() | new["environments"].keys()):
        before = old["environments"].get(name, {"versions": {}, "failing": []})
        after = new["environments"].get(name, {"versions": {}, "failing": []})
        for package in PACKAGES:
            was, now = before["versions"].get(package), after["versions"].get(package)
            if was != now:
                lines.append(f"{name}: {package} {was} -> {now}")
        lines += [
            f"{name}: now fails {n}" for n in sorted(set(after["failing"]) - set(before["failing"]))
        ]
        lines += [
            f"{name}: now passes {n}"
            for n in sorted(set(before["failing"]) - set(after["failing"]))
        ]
    for rule in sorted(old["rules"].keys() | new["rules"].keys()):
        was, now = old["rules"].get(rule), new["rules"].get(rule)
        if was != now:
            lines.append(f"rule {rule}: {json.dumps(was)} -> {json.dumps(now)}")
    return lines


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(root: Path) -> dict[str, Any] | None:
    """The committed matrix, or None where there is none (a new repository)."""
    path = root / DATA
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def run_environments(data: dict[str, Any]) -> list[Environment]:
    return [e for e in ENVIRONMENTS if e.name in data["environments"]]


def newest_lock(root: Path) -> Path:
    return root / project_dir(ENVIRONMENTS[0]) / "uv.lock"


def _status_cell(rule: Rule, environment: str, entry: dict[str, Any]) -> str:
    if entry["status"] == "holds":
        return "holds"
    return f"[{entry['status']}](#{environment}-{rule.id})"


def versions_page(
    rulebook: Rulebook, data: dict[str, Any] | None, pinned: dict[str, str]
) -> list[str]:
    """The Versions page: the packages of each environment, then every rule's status in each,
    then what failed where a rule differs or breaks, with the run's messages."""
    if data is None:
        return ["No run recorded yet: `uv run rulebook versions` writes it.", ""]
    environments = run_environments(data)
    lines = [
        f"Releases up to **{data['exclude_newer']}** (`versions/environments.toml`). The pinned "
        "stack is the one CI requires to pass; the others are recorded, not required.",
        "",
        "| Environment | " + " | ".join(PACKAGES) + " |",
        "| --- " * (len(PACKAGES) + 1) + "|",
        "| Pinned (`uv.lock`) | " + " | ".join(pinned.get(p, "none") for p in PACKAGES) + " |",
    ]
    for environment in environments:
        versions = data["environments"][environment.name]["versions"]
        cells = " | ".join(versions.get(p) or "none" for p in PACKAGES)
        lines.append(f"| {environment.title} (`{project_dir(environment).as_posix()}`) | {cells} |")
    lines += ["", "## Rules", ""]
    lines.append("| Rule | Pinned | " + " | ".join(e.title for e in environments) + " |")
    lines.append("| --- " * (len(environments) + 2) + "|")
    for rule in rulebook.rules:
        runs = data["rules"].get(rule.id)
        statuses = [
            _status_cell(rule, e.name, runs[e.name]) if runs else "not run" for e in environments
        ]
        link = f"[{rule.title}]({rule.page.as_posix()})"
        lines.append(f"| {link} | holds | {' | '.join(statuses)} |")
    lines.append("")
    for environment in environments:
        entry = data["environments"][environment.name]
        counts = entry["tests"]
        lines += [
            f"## {environment.title}",
            "",
            f"{counts['passed']} tests passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped.",
            "",
        ]
        proofs: set[str] = set()
        for rule in rulebook.rules:
            run = data["rules"].get(rule.id, {}).get(environment.name)
            if run is None:
                continue
            proofs.update(run["failing"] + run["timing_failing"])
            if run["status"] == "holds" and not run["timing_failing"]:
                continue
            lines += [
                f"### {rule.title}: {run['status']} {{#{environment.name}-{rule.id}}}",
                "",
                f"[The rule]({rule.page.as_posix()}).",
                "",
            ]
            lines += _failure_lines(entry, run["failing"] + run["timing_failing"])
        others = [node for node in entry["failures"] if node not in proofs]
        if others:
            lines += [f"### Other tests {{#{environment.name}-other-tests}}", ""]
            lines += _failure_lines(entry, others)
    return lines


def _failure_lines(entry: dict[str, Any], nodes: list[str]) -> list[str]:
    lines = []
    for node in nodes:
        failure = entry["failures"].get(node, {"message": NOT_RUN, "timing": False})
        note = " (timing: not compared)" if failure["timing"] else ""
        message = failure["message"].replace("`", "'")
        message = message if len(message) <= MESSAGE_LIMIT else f"{message[:MESSAGE_LIMIT]}…"
        lines.append(f"- `{node}`{note}: `{message}`")
    return [*lines, ""]


# The packages the agent files' line names, as their projects spell them.
HEADLINE = {"fastapi": "FastAPI", "pydantic": "Pydantic", "sqlalchemy": "SQLAlchemy"}


def newest_line(rulebook: Rulebook) -> str:
    """The agent files' one line on the newest releases the proofs pass on ("" before a run)."""
    data = load(rulebook.root)
    newest = ENVIRONMENTS[0].name
    if data is None or newest not in data["environments"]:
        return ""
    versions = data["environments"][newest]["versions"]
    named = ", ".join(f"{title} {versions[name]}" for name, title in HEADLINE.items())
    rules = list(rulebook.rules)
    holding = sum(
        data["rules"].get(r.id, {}).get(newest, {}).get("status") == "holds" for r in rules
    )
    return (
        f"The proofs of {holding} of these {len(rules)} rules also pass on {named} "
        f"(what differs: {rulebook.site_url}versions/)"
    )
