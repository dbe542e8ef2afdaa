"""Argon2, run where it cannot hurt other requests: in worker threads, a bounded number at a
time, and with no database connection held while it runs (the callers end their transaction
first). When the queue for those threads is full, the request is refused at once with 503
instead of waiting its turn into a timeout."""

from collections.abc import Callable
from functools import cache

from anyio import CapacityLimiter, to_thread

from app.core.config import get_settings
from app.services.exceptions import HashingBusy


# --8<-- [start:bounded]
class HashingQueue:
    """At most `threads` hashes at once and `waiting` more in line; beyond that, HashingBusy."""

    def __init__(self, threads: int, waiting: int) -> None:
        self.limiter = CapacityLimiter(threads)  # its own threads, not anyio's shared 40
        self.waiting = waiting

    def check(self) -> None:
        """Raise HashingBusy now if the line is full: before a request takes a connection."""
        if self.limiter.statistics().tasks_waiting >= self.waiting:
            raise HashingBusy  # refused in microseconds: the client retries after a pause

    async def run[*Args, T](self, func: Callable[[*Args], T], *args: *Args) -> T:
        self.check()
        return await to_thread.run_sync(func, *args, limiter=self.limiter)


@cache
def hashing_queue() -> HashingQueue:
    """The process's one queue, sized by the settings (one per worker process)."""
    settings = get_settings()
    return HashingQueue(settings.hashing_threads, settings.hashing_queue)


# --8<-- [end:bounded]
