"""`uv run rulebook dev`: one command serves the reference app for a newcomer. Without
APP_DATABASE_URL it starts the embedded PostgreSQL, migrates it and runs `fastapi dev`; Ctrl-C
stops the app and removes the server and its data directory."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.database import processes_using
from tests.lint import ROOT
from tests.servers import free_port

RULEBOOK = Path(sys.executable).parent / "rulebook"
PASSWORD = "a newcomer's first passphrase"


def wait_for_app(base_url: str, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"rulebook dev exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            httpx.get(f"{base_url}/users/me", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"rulebook dev did not answer within 120 s:\n{log.read_text()}")


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.slow
def test_dev_serves_the_app_on_an_embedded_database_and_cleans_up_on_ctrl_c(
    tmp_path: Path,
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("APP_")}
    log = tmp_path / "dev.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(RULEBOOK), "dev", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # the SIGINT below reaches it alone, not the test run
        )
        try:
            wait_for_app(base_url, process, log)
            with httpx.Client(base_url=base_url) as client:
                signed_up = client.post(
                    "/users", json={"email": "new@example.com", "password": PASSWORD}
                )
                token = client.post(
                    "/auth/token", data={"username": "new@example.com", "password": PASSWORD}
                )
                me = client.get(
                    "/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
                )
                docs = client.get("/docs")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                returncode = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its `fastapi dev` too, not left running
                process.wait()
                pytest.fail(f"rulebook dev went on for 60 s after Ctrl-C:\n{log.read_text()}")

    text = log.read_text()
    pgdata = Path(re.findall(r"^PostgreSQL: (\S+) \(pid \d+\)$", text, re.MULTILINE)[0])
    assert signed_up.status_code == 201, text
    assert token.status_code == 200
    assert me.status_code == 200
    assert me.json()["email"] == "new@example.com"
    assert docs.status_code == 200  # a development run: the API docs are on
    assert "Running upgrade  -> daea022fab96" in text  # migrated by Alembic, not create_all
    assert returncode == 0
    assert port_is_closed(port)
    assert processes_using(pgdata) == []  # no postgres left
    assert not pgdata.exists()
    assert f"PostgreSQL stopped; {pgdata} removed" in text


def test_with_a_database_url_dev_uses_it_and_starts_no_server() -> None:
    from rulebook.devserver import app_environment, database

    url = "postgresql+asyncpg://app:secret@db.internal:5432/app"
    with database({"APP_DATABASE_URL": url}) as chosen:
        env = app_environment({"APP_JWT_SECRET": "kept", "APP_API_DOCS": "false"}, chosen)

    assert chosen == url
    assert env == {"APP_DATABASE_URL": url, "APP_JWT_SECRET": "kept", "APP_API_DOCS": "false"}
    fresh = app_environment({}, url)
    assert fresh["APP_API_DOCS"] == "true"
    assert len(fresh["APP_JWT_SECRET"]) >= 32


def test_the_readme_names_the_command_in_its_first_sections() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_sections = readme.split("\n## Testing against another PostgreSQL", 1)[0]

    assert "uv run rulebook dev" in first_sections
