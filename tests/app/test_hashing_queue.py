"""The app's hashing queue: one thread fewer than the cores, each below the event loop's CPU
priority, a line of the configured length, and a cancelled request that keeps its place until
its hash ends."""

import os
import sys
import threading

import anyio
import anyio.lowlevel
import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.services.exceptions import HashingBusy
from app.services.passwords import HashingQueue, lower_this_threads_priority
from tests.waiting import until


def this_threads_priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.parametrize(("cores", "threads"), [(None, 1), (1, 1), (2, 1), (8, 7)])
def test_the_default_leaves_the_event_loop_a_core(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, threads: int
) -> None:
    """`hashing_threads` defaults to one fewer than the cores this process may use, at least 1."""
    monkeypatch.delenv("APP_HASHING_THREADS", raising=False)
    monkeypatch.setattr(os, "process_cpu_count", lambda: cores)

    settings = Settings(database_url="postgresql+asyncpg://app@db/app", jwt_secret=SecretStr("s"))

    assert settings.hashing_threads == threads


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")
async def test_hashing_runs_below_the_event_loops_priority() -> None:
    """Inside the queue's thread the nice value is 10 above the loop's thread, whose own is
    unchanged after."""
    loop_priority = this_threads_priority()
    queue = HashingQueue(1, 0)

    inside = await queue.run(this_threads_priority)
    name = await queue.run(lambda: threading.current_thread().name)

    assert inside == min(loop_priority + 10, 19)
    assert this_threads_priority() == loop_priority
    assert name.startswith("hashing")


def test_elsewhere_the_threads_keep_the_default_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    """Off Linux, setpriority would lower the whole process, the event loop with it: the
    initializer leaves the nice value alone (shown on a thread of this test's own)."""
    monkeypatch.setattr(sys, "platform", "darwin")
    seen: list[tuple[int, int]] = []

    def start() -> None:
        before = this_threads_priority()
        lower_this_threads_priority()
        seen.append((before, this_threads_priority()))

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()

    [(before, after)] = seen
    assert after == before


async def test_a_free_thread_takes_a_login_even_with_no_line() -> None:
    """`hashing_queue=0`: a login runs while a thread is free, and the next one is refused."""
    queue = HashingQueue(1, 0)
    release = threading.Event()

    async def hash_until_released() -> None:
        await queue.run(release.wait)

    async with anyio.create_task_group() as group:
        group.start_soon(hash_until_released)
        await until(lambda: queue.limiter.statistics().borrowed_tokens == 1)
        with pytest.raises(HashingBusy):
            queue.check()
        release.set()

    assert await queue.run(sum, [1, 2]) == 3


async def test_a_cancelled_request_keeps_its_thread_until_the_hash_ends() -> None:
    """A thread cannot be stopped, so a cancelled caller holds the queue's place (its token)
    until the hash it started is done; only then may the next one run."""
    queue = HashingQueue(1, 1)
    release = threading.Event()
    hashing = anyio.CancelScope()
    finished: list[bool] = []

    async def hash_until_released() -> None:
        with hashing:
            await queue.run(release.wait)
        finished.append(True)

    async with anyio.create_task_group() as group:
        group.start_soon(hash_until_released)
        await until(lambda: queue.limiter.statistics().borrowed_tokens == 1)
        hashing.cancel()
        for _ in range(20):  # the cancellation reaches the caller at its next checkpoint
            await anyio.lowlevel.checkpoint()
        held = queue.limiter.statistics().borrowed_tokens, finished[:]
        release.set()

    assert held == (1, [])
    assert (queue.limiter.statistics().borrowed_tokens, finished) == (0, [True])
