"""Argon2, run where it cannot hurt other requests: in threads of its own, a bounded number at
a time, below the event loop's CPU priority, and with no database connection held while it
runs (the callers end their transaction first). When the line for those threads is full, the
request is refused at once with 503 instead of waiting its turn into a timeout."""

import asyncio
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from anyio import CancelScope, CapacityLimiter

from app.core.config import get_settings
from app.services.exceptions import HashingBusy


# --8<-- [start:bounded]
def lower_this_threads_priority() -> None:
    """Nice 10: when Argon2 and the event loop want the same core, the loop wins. On Linux the
    nice value belongs to the thread (setpriority(2)); elsewhere it would slow the whole
    process, so there the threads keep the default."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class HashingQueue:
    """At most `threads` hashes at once and `waiting` more in line; beyond that, HashingBusy."""

    def __init__(self, threads: int, waiting: int) -> None:
        self.limiter = CapacityLimiter(threads)
        self.waiting = waiting
        # Threads of its own, not AnyIO's shared 40, which also run every `def` dependency.
        self.threads = ThreadPoolExecutor(
            threads, thread_name_prefix="hashing", initializer=lower_this_threads_priority
        )

    def check(self) -> None:
        """Raise HashingBusy now if the line is full: before a request takes a connection."""
        line = self.limiter.statistics()
        if line.borrowed_tokens >= line.total_tokens and line.tasks_waiting >= self.waiting:
            raise HashingBusy  # refused in microseconds: the client retries after a pause

    async def run[*Args, T](self, func: Callable[[*Args], T], *args: *Args) -> T:
        self.check()
        async with self.limiter:
            # A thread cannot be stopped: a cancelled request keeps its place until the hash ends.
            with CancelScope(shield=True):
                hashed = asyncio.get_running_loop().run_in_executor(self.threads, func, *args)
                result = await hashed
        return result


@cache
def hashing_queue() -> HashingQueue:
    """The process's one queue, sized by the settings (one per worker process)."""
    settings = get_settings()
    return HashingQueue(settings.hashing_threads, settings.hashing_queue)


# --8<-- [end:bounded]
