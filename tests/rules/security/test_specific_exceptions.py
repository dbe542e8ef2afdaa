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
from tests.evidence import Evidence
from tests.lint import ROOT, line_of, ruff_findings

AVOID = Path(avoid.__file__)
DO = Path(do.__file__)
OUT_OF_RANGE_ID = 2**40  # not an int4: PostgreSQL cannot even run the lookup


async def count_users(session: AsyncSession, email: str) -> int:
    return await session.scalar(select(func.count()).where(User.email == email)) or 0


async def test_swallowed_commit_failure_looks_like_success(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """The Avoid's `save_user` stores Ada, then "stores" a second user with the same address
    without raising; after the rollback the session needs, there is one row."""
    await avoid.save_user(db_session, User(email="ada@example.com", hashed_password="x"))

    # The second sign-up with the same address "succeeds": no exception, no row.
    await avoid.save_user(db_session, User(email="ada@example.com", hashed_password="y"))

    await db_session.rollback()  # the session is unusable until rolled back, silently
    rows = await count_users(db_session, "ada@example.com")
    assert rows == 1
    evidence.add(
        f"returned, no exception\nrows with ada@example.com afterwards: {rows}",
        "save_user(session, a second user with ada@example.com), by the Avoid",
    )


async def test_specific_exception_reports_the_duplicate(db_session: AsyncSession) -> None:
    """The Do raises `EmailAlreadyRegistered` for the duplicate, and the session goes on
    working (one row, counted with the same session)."""
    await do.save_user(db_session, User(email="ada@example.com", hashed_password="x"))

    with pytest.raises(do.EmailAlreadyRegistered, match=r"ada@example\.com"):
        await do.save_user(db_session, User(email="ada@example.com", hashed_password="y"))

    # Rolled back where it was caught: the session goes on working.
    assert await count_users(db_session, "ada@example.com") == 1


async def test_swallowed_database_error_reads_as_not_found(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Looking up id `2**40`, which PostgreSQL's `integer` cannot hold, returns `None` from the
    Avoid; the Do raises `DBAPIError` (`value out of int32 range`)."""
    found = await avoid.find_user(db_session, OUT_OF_RANGE_ID)
    assert found is None  # "404 Not Found"

    with pytest.raises(DBAPIError, match="value out of int32 range") as error:
        await do.find_user(db_session, OUT_OF_RANGE_ID)  # reaches the 500 handler and the log
    evidence.add(f"returned {found!r}", f"find_user(session, {OUT_OF_RANGE_ID}), by the Avoid")
    evidence.add(error.value.orig or error.value, "the error it swallowed, as the Do lets it out")


def slow_fetch(calls: list[str]) -> Callable[[], Awaitable[bytes]]:
    async def fetch() -> bytes:
        calls.append("fetch")
        await asyncio.sleep(0.2)
        return b"payload"

    return fetch


async def test_bare_except_swallows_cancellation(evidence: Evidence) -> None:
    """Inside `asyncio.timeout(0.05)`, the Avoid's `fetch_with_retry` around a 200 ms fetch
    returns the payload instead of raising `TimeoutError`: the cancellation was caught and a
    second fetch ran to completion."""
    calls: list[str] = []

    # The caller allows 50 ms; the bare except catches the CancelledError that enforces it.
    async with asyncio.timeout(0.05):
        result = await avoid.fetch_with_retry(slow_fetch(calls))

    assert result == b"payload"  # no TimeoutError: the deadline was ignored
    assert calls == ["fetch"] * 2  # cancelled in the first call, it went on to a second
    evidence.add(
        f"returned {result!r}, no TimeoutError\nfetches started: {len(calls)}",
        "async with asyncio.timeout(0.05): fetch_with_retry(a fetch of 0.2 s), by the Avoid",
    )


async def test_specific_exception_lets_cancellation_through() -> None:
    """The Do raises `TimeoutError`, after one fetch."""
    calls: list[str] = []

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await do.fetch_with_retry(slow_fetch(calls))

    assert calls == ["fetch"]


async def test_bare_except_retries_bugs_too(evidence: Evidence) -> None:
    """A fetch that raises `KeyError` (a bug) is tried three times by the Avoid before the error
    gets out, and once by the Do."""
    calls: list[str] = []

    async def buggy() -> bytes:
        calls.append("fetch")
        raise KeyError("url")  # a bug: no retry will fix it

    with pytest.raises(KeyError) as error:
        await avoid.fetch_with_retry(buggy)
    assert calls == ["fetch"] * 3  # retried twice, hiding the first two
    evidence.add(
        f"{error.value!r} after {len(calls)} fetches", "fetch_with_retry(a bug), by the Avoid"
    )
    calls.clear()
    with pytest.raises(KeyError):
        await do.fetch_with_retry(buggy)
    assert calls == ["fetch"]  # the bug surfaces at once


async def test_retry_retries_only_connection_errors() -> None:
    """The Do retries two `ConnectionResetError`s and returns the payload of the third attempt;
    when every attempt is refused, the last `ConnectionRefusedError` reaches the caller."""
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


def test_ruff_codes_on_the_avoid(evidence: Evidence) -> None:
    """Ruff with the project's configuration reports exactly `SIM105` on `save_user`'s `try` and
    `E722` on the bare `except:`, and nothing on `find_user`. With `--extend-select
    BLE001,S110` it adds `BLE001` and `S110` on `save_user`'s `except Exception` and `BLE001` on
    `find_user`'s; the Do passes both."""
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
    found = ruff_findings(AVOID, "--extend-select", "BLE001,S110")
    evidence.add(
        "\n".join(f"{AVOID.name}:{line}: {code} {lines[line - 1].strip()}" for line, code in found),
        "ruff check --extend-select BLE001,S110 avoid.py",
    )


def test_sim105_fix_stays_silent_and_unflagged(tmp_path: Path, evidence: Evidence) -> None:
    """Applying SIM105's fix to a copy of the Avoid (`--fix --unsafe-fixes`) writes `with
    contextlib.suppress(Exception): await session.commit()`, and neither the project's selection
    nor `BLE001`/`S110` reports anything on that line."""
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
    fixed_lines = text.splitlines()
    evidence.add(
        "\n".join(fixed_lines[suppress - 1 : suppress + 1]),
        "avoid.py after ruff check --select SIM105 --fix --unsafe-fixes",
    )
    evidence.add(
        "\n".join(f"avoid.py:{line}: {code}" for line, code in extended) or "(nothing)",
        "ruff check --extend-select BLE001,S110 on it: every finding",
    )
