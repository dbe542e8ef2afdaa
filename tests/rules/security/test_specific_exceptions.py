"""Proofs for security/specific-exceptions: swallowing exceptions turns a failed commit into
success, an outage into "not found" and a timeout into no timeout; catching the specific
exception does none of that. Ruff's codes on the Avoid, with the project's selection and
beyond it."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from snippets.security.specific_exceptions import avoid, do
from tests.lint import ROOT, line_of, ruff_findings

AVOID = Path(avoid.__file__)
DO = Path(do.__file__)
OUT_OF_RANGE_ID = 2**40  # not an int4: PostgreSQL cannot even run the lookup


async def count_users(session: AsyncSession, email: str) -> int:
    return await session.scalar(select(func.count()).where(User.email == email)) or 0


async def test_swallowed_commit_failure_looks_like_success(db_session: AsyncSession) -> None:
    await avoid.save_user(db_session, User(email="ada@example.com", hashed_password="x"))

    # The second sign-up with the same address "succeeds": no exception, no row.
    await avoid.save_user(db_session, User(email="ada@example.com", hashed_password="y"))

    await db_session.rollback()  # the session is unusable until rolled back, silently
    assert await count_users(db_session, "ada@example.com") == 1


async def test_specific_exception_reports_the_duplicate(db_session: AsyncSession) -> None:
    await do.save_user(db_session, User(email="ada@example.com", hashed_password="x"))

    with pytest.raises(do.EmailAlreadyRegistered, match=r"ada@example\.com"):
        await do.save_user(db_session, User(email="ada@example.com", hashed_password="y"))

    # Rolled back where it was caught: the session goes on working.
    assert await count_users(db_session, "ada@example.com") == 1


async def test_swallowed_database_error_reads_as_not_found(db_session: AsyncSession) -> None:
    assert await avoid.find_user(db_session, OUT_OF_RANGE_ID) is None  # "404 Not Found"

    with pytest.raises(DBAPIError, match="value out of int32 range"):
        await do.find_user(db_session, OUT_OF_RANGE_ID)  # reaches the 500 handler and the log


def slow_fetch(calls: list[str]) -> Callable[[], Awaitable[bytes]]:
    async def fetch() -> bytes:
        calls.append("fetch")
        await asyncio.sleep(0.2)
        return b"payload"

    return fetch


async def test_bare_except_swallows_cancellation() -> None:
    calls: list[str] = []

    # The caller allows 50 ms; the bare except catches the CancelledError that enforces it.
    async with asyncio.timeout(0.05):
        result = await avoid.fetch_with_retry(slow_fetch(calls))

    assert result == b"payload"  # no TimeoutError: the deadline was ignored
    assert calls == ["fetch"] * 2  # cancelled in the first call, it went on to a second


async def test_specific_exception_lets_cancellation_through() -> None:
    calls: list[str] = []

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await do.fetch_with_retry(slow_fetch(calls))

    assert calls == ["fetch"]


async def test_bare_except_retries_bugs_too() -> None:
    calls: list[str] = []

    async def buggy() -> bytes:
        calls.append("fetch")
        raise KeyError("url")  # a bug: no retry will fix it

    with pytest.raises(KeyError):
        await avoid.fetch_with_retry(buggy)
    assert calls == ["fetch"] * 3  # retried twice, hiding the first two
    calls.clear()
    with pytest.raises(KeyError):
        await do.fetch_with_retry(buggy)
    assert calls == ["fetch"]  # the bug surfaces at once


async def test_retry_retries_only_connection_errors() -> None:
    attempts: list[int] = []

    async def flaky() -> bytes:
        attempts.append(len(attempts))
        if len(attempts) < 3:
            raise ConnectionResetError("peer reset")
        return b"payload"

    async def broken() -> bytes:
        raise ConnectionRefusedError("refused")

    assert await do.fetch_with_retry(flaky) == b"payload"
    assert attempts == [0, 1, 2]
    with pytest.raises(ConnectionRefusedError):  # the last attempt's error, not None
        await do.fetch_with_retry(broken)


def test_ruff_codes_on_the_avoid() -> None:
    lines = AVOID.read_text().splitlines()
    save_except, find_except = [
        n for n, ln in enumerate(lines, start=1) if "except Exception" in ln
    ]
    try_line = save_except - 2  # the `try:` of save_user
    bare = line_of(AVOID, "except:")

    # The project's selection: E722 for the bare except, SIM105 for `except Exception: pass`,
    # nothing for `except Exception: return None`.
    assert ruff_findings(AVOID) == [(try_line, "SIM105"), (bare, "E722")]
    # flake8-blind-except and bandit, not selected, name both `except Exception` lines.
    assert ruff_findings(AVOID, "--extend-select", "BLE001,S110") == [
        (try_line, "SIM105"),
        (save_except, "BLE001"),
        (save_except, "S110"),
        (find_except, "BLE001"),
        (bare, "E722"),
    ]
    assert ruff_findings(DO, "--extend-select", "BLE001,S110") == []


def test_sim105_fix_stays_silent_and_unflagged(tmp_path: Path) -> None:
    fixed = tmp_path / "avoid.py"
    # Ruff offers no fix where a comment would be lost: drop the comments first (the test
    # marker of tests/rules/test_caught_by.py included).
    text = AVOID.read_text().replace('  # "a duplicate is fine"', "")
    fixed.write_text(text.replace("  # expect: ruff:BLE001, ruff:S110", ""))
    # Apply the rewrite SIM105 suggests (ruff marks it unsafe).
    ruff_findings(fixed, "--select", "SIM105", "--fix", "--unsafe-fixes")

    text = fixed.read_text()
    assert "with contextlib.suppress(Exception):\n        await session.commit()" in text
    # Still swallowing every exception, and now no rule, not even BLE001, says a word about it.
    findings = ruff_findings(fixed, "--config", str(ROOT / "pyproject.toml"))
    extended = ruff_findings(fixed, "--extend-select", "BLE001,S110")
    suppress = line_of(fixed, "contextlib.suppress")
    assert suppress not in {line for line, _ in findings + extended}
