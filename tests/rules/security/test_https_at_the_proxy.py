"""Proofs for security/https-at-the-proxy: `fastapi run` (uvicorn) applies X-Forwarded-Proto and
X-Forwarded-For only from the addresses in `--forwarded-allow-ips`; with `*`, any client
spoofs its scheme and address; HTTPSRedirectMiddleware behind the proxy redirects an HTTPS
request to itself."""

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import status
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from snippets.security.https_at_the_proxy import app as app_module
from snippets.security.https_at_the_proxy import avoid
from tests.evidence import Evidence
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[3]
SNIPPETS = ROOT / "snippets" / "security" / "https_at_the_proxy"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}


def command_in(script: Path, proxy_ip: str) -> list[str]:
    """The `fastapi run ...` line of a snippet script, with the snippet app and `$PROXY_IP`."""
    (line,) = [ln for ln in script.read_text().splitlines() if ln.startswith("fastapi run ")]
    words = shlex.split(line.replace('"$PROXY_IP"', proxy_ip))
    assert words[:3] == ["fastapi", "run", "src/app/main.py"]
    return [sys.executable, "-m", "fastapi", "run", app_module.__file__, *words[3:]]


@contextmanager
def serving(command: list[str]) -> Iterator[str]:
    """Run the server; yield its base URL once it answers; stop it at the end."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/whoami", trust_env=False, timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"server did not start: {server.communicate()[1]}"
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.communicate(timeout=10)


def whoami(url: str) -> dict[str, str]:
    """A request sent as the proxy sends it: plain HTTP, with the forwarded headers."""
    response = httpx.get(f"{url}/whoami", headers=FORWARDED, trust_env=False)
    assert response.status_code == status.HTTP_200_OK
    body: dict[str, str] = response.json()
    return body


@pytest.mark.slow
def test_headers_from_the_proxy_give_the_real_scheme_and_client() -> None:
    """With `--forwarded-allow-ips 127.0.0.1` (here the test is the proxy), the app sees scheme
    `https`, client `198.51.100.7`, and `url_for` gives an `https://` link."""
    # The test's requests come from 127.0.0.1: here it plays the proxy.
    with serving(command_in(SNIPPETS / "do.sh", "127.0.0.1")) as url:
        seen = whoami(url)

    assert seen["scheme"] == "https"
    assert seen["client"] == "198.51.100.7"
    assert seen["link"].startswith("https://127.0.0.1:")


@pytest.mark.slow
def test_headers_from_anyone_else_are_ignored() -> None:
    """With `--forwarded-allow-ips 10.0.0.2` (the proxy is elsewhere; the test is a client that
    reached the port directly), the same headers are ignored: scheme `http`, client `127.0.0.1`."""
    # The proxy is 10.0.0.2; the test is a client that reached the app's port directly.
    with serving(command_in(SNIPPETS / "do.sh", "10.0.0.2")) as url:
        seen = whoami(url)

    assert seen["scheme"] == "http"
    assert seen["client"] == "127.0.0.1"


@pytest.mark.slow
def test_trusting_every_address_lets_any_client_spoof(evidence: Evidence) -> None:
    """With `"*"`, the direct client is `198.51.100.7` on one request and `203.0.113.99` on the
    next, whatever it writes, and the scheme is `https`."""
    with serving(command_in(SNIPPETS / "avoid.sh", "unused")) as url:
        seen = whoami(url)
        other = httpx.get(
            f"{url}/whoami", headers={"X-Forwarded-For": "203.0.113.99"}, trust_env=False
        ).json()

    # The same direct client, two made-up addresses: per-IP rate limits and audit logs are
    # whatever the client writes.
    assert seen["client"] == "198.51.100.7"
    assert other["client"] == "203.0.113.99"
    assert seen["scheme"] == "https"
    evidence.add(
        f"X-Forwarded-Proto: https, X-Forwarded-For: 198.51.100.7 -> {seen}\n"
        f"X-Forwarded-For: 203.0.113.99 -> {other}",
        'GET /whoami from 127.0.0.1, served with --forwarded-allow-ips "*"',
    )


@pytest.mark.parametrize("forwarded_proto", ["https", None])
async def test_redirect_middleware_behind_the_proxy_loops(
    forwarded_proto: str | None, evidence: Evidence
) -> None:
    """The Avoid app, called as the proxy calls it (`http://api.example.com/whoami`, with or without
    `X-Forwarded-Proto: https`), answers `307` with `Location: https://api.example.com/whoami`, the
    URL the browser had already asked for."""
    # The browser asked for https://api.example.com/whoami; the proxy forwards it over HTTP.
    headers = {"X-Forwarded-Proto": forwarded_proto} if forwarded_proto else {}
    transport = httpx.ASGITransport(app=avoid.create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://api.example.com") as client:
        response = await client.get("/whoami", headers=headers)

    # Redirected to the URL the browser already asked for: it follows, the proxy forwards over
    # HTTP again, and the same redirect comes back until the browser gives up.
    assert response.status_code == status.HTTP_307_TEMPORARY_REDIRECT
    assert response.headers["location"] == "https://api.example.com/whoami"
    evidence.add(
        response,
        "GET /whoami, forwarded over HTTP, "
        + (f"X-Forwarded-Proto: {forwarded_proto}" if forwarded_proto else "no X-Forwarded-Proto"),
    )


async def test_redirect_middleware_works_only_with_trusted_forwarded_headers() -> None:
    """Wrapped in uvicorn's `ProxyHeadersMiddleware` trusting `10.0.0.2` (what `fastapi run
    --forwarded-allow-ips 10.0.0.2` does), a request from that proxy with `X-Forwarded-Proto: https`
    gets `200` and scheme `https`, and a plain-HTTP one is redirected."""
    # What `fastapi run --forwarded-allow-ips 10.0.0.2` wraps the app in, for a request that
    # comes from that proxy: the scheme is the browser's again, so nothing is redirected.
    behind_proxy = avoid.create_app()
    behind_proxy.add_middleware(ProxyHeadersMiddleware, trusted_hosts="10.0.0.2")  # outermost
    transport = httpx.ASGITransport(app=behind_proxy, client=("10.0.0.2", 41000))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.example.com") as client:
        proxied = await client.get("/whoami", headers=FORWARDED)
        plain = await client.get("/whoami")

    assert proxied.status_code == status.HTTP_200_OK
    assert proxied.json()["scheme"] == "https"
    # A plain-HTTP request is redirected: the redirect the proxy already makes.
    assert plain.status_code == status.HTTP_307_TEMPORARY_REDIRECT
