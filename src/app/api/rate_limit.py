"""Rate limiting per client address, as a dependency on `limits` (the library slowapi is built
on): it limits routes of included routers too, which slowapi 0.1.10's middleware does not on
FastAPI 0.139."""

import math
import time

from fastapi import HTTPException, Request, status
from limits import parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


# --8<-- [start:rate-limit]
class RateLimit:
    """A dependency: at most `limit` requests per client address, then 429 with Retry-After."""

    def __init__(self, limit: str, scope: str, storage: Storage | None = None) -> None:
        self.item = parse(limit)
        self.scope = scope
        # MemoryStorage counts in this process only; with several workers or instances, pass
        # a shared one (limits.aio.storage.RedisStorage).
        self.limiter = MovingWindowRateLimiter(storage or MemoryStorage())

    async def __call__(self, request: Request) -> None:
        # The client's address: behind a proxy, right only if uvicorn trusts its headers.
        client = request.client.host if request.client else "unknown"
        if not await self.limiter.hit(self.item, self.scope, client):
            window = await self.limiter.get_window_stats(self.item, self.scope, client)
            retry_after = max(1, math.ceil(window.reset_time - time.time()))
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many requests",
                headers={"Retry-After": str(retry_after)},
            )


# --8<-- [end:rate-limit]
