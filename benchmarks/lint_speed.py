"""Speed of `fastapi-rulebook lint` on a large tree, beside ruff and semgrep, in one run.

    uv run python -m benchmarks.lint_speed [--lines 200000] [--seed 14] [--tree PATH ...]
                                           [--rounds 3] [--no-semgrep]

Generates a seeded tree of FastAPI modules (routers, schemas, models, services; some lines break
a rule) of at least `--lines` lines, then times, on it and on every `--tree` given (a fetched
code base), three commands run as users run them: `fastapi-rulebook lint`, `ruff check` with
every rule (the floor: one Rust pass), and semgrep (`uvx semgrep`) with rules equivalent to five
of lint's checks. Prints files/s and lines/s for each, and both ratios against the goals:
lint within 3x of ruff's time, and at least 30x faster than semgrep.
"""

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # ruff ships no py.typed

RUFF_GOAL = 3.0  # lint's time at most 3x ruff's
SEMGREP_GOAL = 30.0  # lint at least 30x faster than semgrep

# Five of lint's checks written as semgrep rules: RB101, RB103, RB305, RB701, RB901.
SEMGREP_RULES = """\
rules:
  - id: rb101-future-annotations
    languages: [python]
    severity: ERROR
    message: from __future__ import annotations
    pattern: from __future__ import annotations
  - id: rb103-uvicorn-run
    languages: [python]
    severity: ERROR
    message: uvicorn.run()
    pattern: uvicorn.run(...)
  - id: rb305-session-query
    languages: [python]
    severity: ERROR
    message: session.query()
    pattern: $SESSION.query(...)
  - id: rb701-on-event
    languages: [python]
    severity: ERROR
    message: "@app.on_event"
    pattern: |
      @$APP.on_event(...)
      def $F(...): ...
  - id: rb901-jwt-decode-without-exp
    languages: [python]
    severity: ERROR
    message: jwt.decode without require exp
    patterns:
      - pattern: jwt.decode(...)
      - pattern-not: 'jwt.decode(..., options={..., "require": [..., "exp", ...], ...}, ...)'
"""

ROUTER = '''\
"""Endpoints for {resource}s."""

from typing import Annotated

import jwt
from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import SessionDep
from app.models.{resource} import {Model}
from app.schemas.{resource} import {Model}Create, {Model}Read

router = APIRouter(prefix="/{resource}s", tags=["{resource}s"])


@router.get("", response_model=list[{Model}Read])
async def list_{resource}s(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[{Model}]:
    stmt = select({Model}).order_by({Model}.id).offset(offset).limit(limit)
    return list(await session.scalars(stmt))


@router.post("", response_model={Model}Read, status_code=status.HTTP_201_CREATED)
async def create_{resource}(data: {Model}Create, session: SessionDep) -> {Model}:
    item = {Model}(**data.model_dump())
    session.add(item)
    await session.commit()
    return item
'''
VIOLATIONS = [
    """

@router.get("/{{item_id}}/legacy")
async def legacy_{resource}_{n}(item_id: int, session: AsyncSession = Depends()) -> dict[str, str]:
    row = session.query({Model}).filter({Model}.id == item_id).first()
    if row is None:
        raise HTTPException(404, detail="Not found")
    return {{"name": row.name}}
""",
    """

def read_token_{n}(token: str, key: str) -> str:
    claims = jwt.decode(token, key, algorithms=["HS256"])
    return str(claims["sub"])
""",
    """

@router.get("/{{item_id}}")
async def read_{resource}_{n}(item_id: int, session: SessionDep) -> {Model}:
    item = await session.get({Model}, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="{Model} not found")
    return item
""",
]
SCHEMAS = '''\
"""Request and response schemas for {resource}s."""

from pydantic import BaseModel, ConfigDict, Field


class {Model}Create(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0)


class {Model}Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    quantity: int
'''
MODEL = '''\
"""The {resource} table."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class {Model}(Base):
    __tablename__ = "{resource}s"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(server_default="0")
'''


def generate(root: Path, lines: int, seed: int) -> None:
    """Modules for resource after resource until the tree holds `lines` lines."""
    rng = random.Random(seed)
    written = 0
    n = 0
    while written < lines:
        resource = f"res{n}"
        names = {"resource": resource, "Model": f"Res{n}", "n": n}
        router = ROUTER.format(**names) + "".join(
            rng.choice(VIOLATIONS).format(**names | {"n": k}) for k in range(rng.randint(8, 24))
        )
        package = root / "app" / f"pkg{n // 50}"
        bodies = {
            "api": router,
            "schemas": SCHEMAS.format(**names),
            "models": MODEL.format(**names),
        }
        for folder, body in bodies.items():
            path = package / folder / f"{resource}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            written += body.count("\n")
        n += 1


@dataclass(frozen=True)
class Timing:
    tool: str
    seconds: float
    files: int
    lines: int

    def row(self) -> str:
        return (
            f"{self.tool:<22} {self.seconds:>9.2f} s {self.files / self.seconds:>12,.0f} files/s "
            f"{self.lines / self.seconds:>14,.0f} lines/s"
        )


def count(tree: Path) -> tuple[int, int]:
    files = [p for p in tree.rglob("*.py") if ".venv" not in p.parts]
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


def timed(command: list[str], rounds: int) -> float:
    """The median wall time of `command` (exit 0 or 1: findings are expected)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return statistics.median(times)


def measure(tree: Path, rounds: int, semgrep: bool, rules: Path) -> list[Timing]:
    files, lines = count(tree)
    lint = shutil.which("fastapi-rulebook") or "fastapi-rulebook"
    commands = {
        "fastapi-rulebook lint": [lint, "lint", "--output-format", "json", str(tree)],
        "ruff (every rule)": [
            find_ruff_bin(),
            *("check", "--no-cache", "--isolated", "--select", "ALL", "--exit-zero"),
            *("--output-format", "json", str(tree)),
        ],
    }
    if semgrep:
        commands["semgrep (5 rules)"] = [
            *("uvx", "semgrep", "scan", "--config", str(rules), "--metrics", "off"),
            *("--json", "--quiet", "--jobs", "2", str(tree)),
        ]
    return [
        Timing(tool, timed(command, 1 if tool.startswith("semgrep") else rounds), files, lines)
        for tool, command in commands.items()
    ]


def report(name: str, timings: list[Timing]) -> None:
    by_tool = {t.tool.split(" ")[0]: t for t in timings}
    print(f"\n{name}: {timings[0].files:,} files, {timings[0].lines:,} lines")
    for timing in timings:
        print("  " + timing.row())
    lint, ruff = by_tool["fastapi-rulebook"], by_tool["ruff"]
    ratio = lint.seconds / ruff.seconds
    verdict = "met" if ratio <= RUFF_GOAL else "missed"
    print(f"  lint / ruff time: {ratio:.1f}x (goal: at most {RUFF_GOAL:.0f}x; {verdict})")
    if "semgrep" in by_tool:
        faster = by_tool["semgrep"].seconds / lint.seconds
        verdict = "met" if faster >= SEMGREP_GOAL else "missed"
        print(
            f"  semgrep / lint time: {faster:.1f}x (goal: at least {SEMGREP_GOAL:.0f}x; {verdict})"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", default=[])
    parser.add_argument("--no-semgrep", dest="semgrep", action="store_false")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lint-speed-") as folder:
        work = Path(folder)
        rules = work / "semgrep.yml"
        rules.write_text(SEMGREP_RULES, encoding="utf-8")
        generated = work / "generated"
        generate(generated, args.lines, args.seed)
        print(f"Python {sys.version.split()[0]}, seed {args.seed}")
        report("generated tree", measure(generated, args.rounds, args.semgrep, rules))
        for tree in args.tree:
            report(str(tree), measure(tree, args.rounds, args.semgrep, rules))


if __name__ == "__main__":
    main()
