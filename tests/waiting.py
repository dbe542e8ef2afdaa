"""Wait for a state, not for a time: the proofs read counts and states, never durations."""

from collections.abc import Callable

import anyio


async def until(condition: Callable[[], bool]) -> None:
    """Wait for a state; the bound (10 s) only keeps a broken test from hanging."""
    for _ in range(1000):
        if condition():
            return
        await anyio.sleep(0.01)
    raise AssertionError("the state was never reached")
