"""Proofs for how-to-work/endpoint-tests: the Do's tests check the endpoint's error paths and its
response's fields; the Avoid's happy-path test passes whatever those do, and this project's
coverage gate (100 %, branches) fails it."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, status

from snippets.how_to_work.endpoint_tests import avoid, do
from snippets.how_to_work.endpoint_tests.notes import NOTES

ROOT = Path(__file__).resolve().parents[3]
SNIPPETS = Path(do.__file__).parent

# The snippets' client fixtures, registered for this module.
do_client = do.client
avoid_client = avoid.client


async def test_do_tests_pass(do_client: httpx.AsyncClient) -> None:
    await do.test_read_note(do_client)
    await do.test_read_missing_note_is_404(do_client)
    await do.test_note_id_must_be_positive(do_client)


async def test_avoid_test_passes(avoid_client: httpx.AsyncClient) -> None:
    await avoid.test_read_note(avoid_client)


@pytest.fixture
async def regressed_client() -> httpx.AsyncClient:
    """The endpoint after a careless edit: no response model, no 404."""
    app = FastAPI()

    @app.get("/notes/{note_id}")
    async def read_note(note_id: int) -> dict[str, object]:
        return NOTES.get(note_id, {})

    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_only_the_do_tests_catch_a_regression(regressed_client: httpx.AsyncClient) -> None:
    async with regressed_client as client:
        await avoid.test_read_note(client)  # still green

        # The regression: the owner's token leaks, and a missing note is "found".
        assert (await client.get("/notes/1")).json()["owner_token"] == "tok_3f9a"
        assert (await client.get("/notes/2")).status_code == status.HTTP_200_OK
        with pytest.raises(AssertionError):
            await do.test_read_note(client)
        with pytest.raises(AssertionError):
            await do.test_read_missing_note_is_404(client)


def coverage_run(tests: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """pytest on one snippet's tests, with this project's gate: 100 % of the endpoint's
    statements and branches."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="),
            "--cov=snippets.how_to_work.endpoint_tests.notes",
            *("--cov-branch", "--cov-fail-under=100", "--cov-report=term-missing"),
            str(SNIPPETS / tests),
        ],
        cwd=ROOT,
        env=os.environ | {"COVERAGE_FILE": str(tmp_path / f".coverage.{tests}")},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_coverage_gate_fails_an_endpoint_tested_only_on_its_happy_path(tmp_path: Path) -> None:
    coverage = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"]
    assert coverage["report"]["fail_under"] == 100
    assert coverage["run"]["branch"] is True
    assert {"snippets", "app"} <= set(coverage["run"]["source"])

    only_happy = coverage_run("avoid.py", tmp_path)
    with_errors = coverage_run("do.py", tmp_path)

    assert "1 passed" in only_happy.stdout  # the test passes...
    assert only_happy.returncode == 1  # ...and the run fails
    assert "Required test coverage of 100% not reached. Total coverage: 88.89%" in only_happy.stdout
    raise_line = next(
        n
        for n, line in enumerate((SNIPPETS / "notes.py").read_text().splitlines(), start=1)
        if "raise HTTPException" in line
    )
    assert only_happy.stdout.split("notes.py")[1].split("\n")[0].endswith(f"89%   {raise_line}")
    assert with_errors.returncode == 0
    assert "3 passed" in with_errors.stdout
    assert "Required test coverage of 100% reached. Total coverage: 100.00%" in with_errors.stdout
