"""How long N concurrent requests take when each does blocking work versus awaited work.

    uv run python -m benchmarks.blocking_calls [--requests 5] [--rounds 3]

Each endpoint of snippets/async_sqlalchemy/blocking_calls does WORK_SECONDS of work: a slow
query, a slow upstream HTTP call, a wait, a blocking library call. The Avoid versions block the
event loop, so N requests sent at once take about N x WORK_SECONDS; the Do versions overlap and
take about 1 x WORK_SECONDS. The database is the one the tests use (TEST_DATABASE_URL, or an
embedded server); the upstream API is a local HTTP server that answers after WORK_SECONDS.
The test tests/rules/async_sqlalchemy/test_blocking_calls.py uses the same helpers.
"""

import argparse
import asyncio
import json
import os
import secrets
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from fastapi import APIRouter, FastAPI

# The scenarios: each path exists in both the Do and the Avoid router.
SCENARIOS = {
    "/reports/slow": "slow query (Avoid: sync engine)",
    "/rates": "upstream HTTP call (Avoid: httpx.get)",
    "/throttled": "wait (Avoid: time.sleep)",
    "/export": "blocking library call (Do: to_thread)",
}
RATES = {"EUR": 1.0, "USD": 1.08}


@contextmanager
def slow_upstream(seconds: float) -> Iterator[str]:
    """A local HTTP API that answers every GET after `seconds`, many requests at once."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(seconds)
            body = json.dumps(RATES).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # no access log on stderr

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/latest"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_app(router: APIRouter, rates_url: str) -> FastAPI:
    """An app serving `router`, its upstream API at `rates_url`."""
    from snippets.async_sqlalchemy.blocking_calls.work import get_rates_url

    app = FastAPI()
    app.include_router(router)

    def local_rates_url() -> str:
        return rates_url

    app.dependency_overrides[get_rates_url] = local_rates_url
    return app


async def concurrent_gets(app: FastAPI, path: str, requests: int) -> float:
    """Send `requests` GETs to `path` at once; seconds until the last response."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get(path) for _ in range(requests)))
        elapsed = time.perf_counter() - started
    assert [r.status_code for r in responses] == [200] * requests, responses
    return elapsed


@dataclass(frozen=True)
class Row:
    path: str
    avoid: float  # median seconds for all requests, Avoid
    do: float  # the same, Do

    @property
    def ratio(self) -> float:
        return self.avoid / self.do


async def measure(requests: int, rounds: int) -> list[Row]:
    from app.db.session import engine
    from snippets.async_sqlalchemy.blocking_calls import avoid, do
    from snippets.async_sqlalchemy.blocking_calls.work import WORK_SECONDS

    rows = []
    with slow_upstream(WORK_SECONDS) as rates_url:
        apps = build_app(avoid.router, rates_url), build_app(do.router, rates_url)
        for path in SCENARIOS:
            times: tuple[list[float], list[float]] = ([], [])
            for _ in range(rounds):
                for app, samples in zip(apps, times, strict=True):
                    samples.append(await concurrent_gets(app, path, requests))
            rows.append(Row(path, statistics.median(times[0]), statistics.median(times[1])))
    await engine.dispose()
    avoid.sync_engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5, help="concurrent requests (N)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per scenario; median shown")
    args = parser.parse_args()

    from tests.database import open_run_database

    run = open_run_database()
    try:
        # The app reads its settings at import: set them before importing the snippets.
        os.environ["APP_DATABASE_URL"] = run.url_string
        os.environ.setdefault("APP_JWT_SECRET", secrets.token_urlsafe(32))
        from snippets.async_sqlalchemy.blocking_calls.work import WORK_SECONDS

        rows = asyncio.run(measure(args.requests, args.rounds))
    finally:
        run.close()

    n, d = args.requests, WORK_SECONDS
    print(f"{run.describe()}")
    print(f"{n} concurrent requests, {d:.2f} s of work each (N x d = {n * d:.2f} s)")
    print(f"median of {args.rounds} rounds\n")
    print(f"{'endpoint':<15} {'scenario':<40} {'Avoid':>8} {'Do':>8} {'ratio':>6}")
    for row in rows:
        print(
            f"{row.path:<15} {SCENARIOS[row.path]:<40} "
            f"{row.avoid:>7.3f}s {row.do:>7.3f}s {row.ratio:>6.1f}"
        )


if __name__ == "__main__":
    main()
