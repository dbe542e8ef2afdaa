"""Proofs for testing/rollback-per-test: with a session that really commits, what one test
writes is there in the next, and a second test creating the same user fails. (The project's own
fixtures, rolled back per test, are proven in tests/infra/test_isolation.py.)

Claims about "the next test" are order-free: the same test runs twice, and whichever run comes
second checks what the first left behind. The Avoid's commits go to a schema of this module's
own, dropped after it. Under pytest-xdist the module's tests run on one worker, so both runs
share that schema.
"""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.models import User
from snippets.testing.rollback_per_test import avoid
from tests.conftest import private_schema
from tests.evidence import (
    Evidence,
)

# Both runs of each test on one worker (one schema), whatever the scheduling.
pytestmark = pytest.mark.xdist_group("rollback-per-test")

# The Avoid's fixture, in place of the project's `db_session`, for this module only.
db_session = avoid.db_session
counts_seen: list[int] = []
collision_runs: list[int] = []  # the runs of the collision test so far, in the order they ran


@pytest.fixture(scope="module")
async def engine(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The run's engine, pointed at a schema of this module's own: the Avoid's commits are
    real, and must not reach the tables other tests use."""
    async with private_schema(engine) as schema_engine:
        yield schema_engine


@pytest.mark.parametrize("run", [1, 2])
async def test_committed_rows_reach_the_next_test(
    db_session: AsyncSession, run: int, evidence: Evidence
) -> None:
    """Each run counts the users, then commits one. The first run finds 0, the second finds 1:
    the first run's row."""
    before = await db_session.scalar(select(func.count()).select_from(User))
    counts_seen.append(before or 0)

    db_session.add(User(email=f"run-{run}@example.com", hashed_password="x"))
    await db_session.commit()

    # The first run found an empty table; the second finds the first run's row.
    assert before == len(counts_seen) - 1
    # The parameters run in their order, so the file of run 2 is the second run's.
    position = "first" if len(counts_seen) == 1 else "second"
    evidence.add(
        f"users in the table before this run's commit: {before}",
        f"The {position} run counts the users, then commits one",
    )


@pytest.mark.parametrize("run", [1, 2])
async def test_same_fixture_data_collides_in_the_next_test(
    db_session: AsyncSession, run: int, evidence: Evidence
) -> None:
    """Both runs create `ada@example.com`. The first finds no such row and commits; the second
    finds the first run's row and fails with `IntegrityError: ... duplicate key value violates
    unique constraint`. With a fixture that rolls back, the second run finds no row and the
    test fails."""
    # Which run this is comes from the order they ran in, never from what the table holds: the
    # second must collide, so a fixture that leaked nothing fails it.
    second = bool(collision_runs)
    collision_runs.append(run)
    existing = await db_session.scalar(
        select(func.count()).select_from(User).where(User.email == "ada@example.com")
    )
    db_session.add(User(email="ada@example.com", hashed_password="x"))

    if not second:
        assert existing == 0
        await db_session.commit()
        evidence.add(
            f"rows for ada@example.com before: {existing}; committed",
            "The first run creates ada@example.com",
        )
        return
    # Passes alone, fails after the other run: the classic order-dependent test.
    assert existing == 1  # the first run's row
    with pytest.raises(
        IntegrityError, match="duplicate key value violates unique constraint"
    ) as error:
        await db_session.commit()
    evidence.add(
        error.value, f"The second run creates it too, with {existing} row for it already there"
    )
