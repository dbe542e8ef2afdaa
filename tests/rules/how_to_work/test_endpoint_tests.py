"""Proofs for how-to-work/endpoint-tests: the Do's tests check the endpoint's error paths and its
response's fields; the Avoid's happy-path test passes whatever those do, and this project's
coverage gate (100 %, branches) fails it."""

import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, status

from snippets.how_to_work.endpoint_tests import avoid, do
from snippets.how_to_work.endpoint_tests.notes import NOTES
from tests.evidence import Evidence
from tests.pytest_project import child_pytest_env

ROOT = Path(__file__).resolve().parents[3]
SNIPPETS = Path(do.__file__).parent

# The snippets' client fixtures, registered for this module.
do_client = do.client
avoid_client = avoid.client


async def test_do_tests_pass(do_client: httpx.AsyncClient) -> None:
    """The Do's three tests (`test_read_note`, `test_read_missing_note_is_404`,
    `test_note_id_must_be_positive`) run against the endpoint: all green."""
    await do.test_read_note(do_client)
    await do.test_read_missing_note_is_404(do_client)
    await do.test_note_id_must_be_positive(do_client)


async def test_avoid_test_passes(avoid_client: httpx.AsyncClient, evidence: Evidence) -> None:
    """The Avoid's one test, `test_read_note`, runs against the endpoint: green, though it never
    takes an error path."""
    await avoid.test_read_note(avoid_client)
    evidence.add("avoid.test_read_note: passed", "The Avoid's only test, against the endpoint")


@pytest.fixture
async def regressed_client() -> httpx.AsyncClient:
    """The endpoint after a careless edit: no response model, no 404."""
    app = FastAPI()

    @app.get("/notes/{note_id}")
    async def read_note(note_id: int) -> dict[str, object]:
        return NOTES.get(note_id, {})

    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_only_the_do_tests_catch_a_regression(
    regressed_client: httpx.AsyncClient, evidence: Evidence
) -> None:
    """Both test sets against the endpoint after a careless edit (no response model, no 404):
    `GET /notes/1` now returns `owner_token` (`tok_3f9a`) and `GET /notes/2` an empty `200`. The
    Avoid's test still passes; the Do's `test_read_note` and `test_read_missing_note_is_404`
    fail."""
    async with regressed_client as client:
        await avoid.test_read_note(client)  # still green
        evidence.add("avoid.test_read_note: passed", "The Avoid's test, on the regressed endpoint")

        # The regression: the owner's token leaks, and a missing note is "found".
        leaked = await client.get("/notes/1")
        assert leaked.json()["owner_token"] == "tok_3f9a"
        found = await client.get("/notes/2")
        assert found.status_code == status.HTTP_200_OK
        evidence.add(leaked, "GET /notes/1, regressed: the owner's token leaks")
        evidence.add(found, "GET /notes/2, regressed: a missing note is found")
        with pytest.raises(AssertionError) as read:
            await do.test_read_note(client)
        with pytest.raises(AssertionError) as missing:
            await do.test_read_missing_note_is_404(client)
    evidence.add(
        f"do.test_read_note: failed ({type(read.value).__name__})\n"
        f"do.test_read_missing_note_is_404: failed ({type(missing.value).__name__})",
        "The Do's tests, on the regressed endpoint",
    )


def coverage_run(tests: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """pytest on one snippet's tests, with this project's gate: 100 % of the endpoint's
    statements and branches."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="),
            *("-p", "pytest_asyncio.plugin", "-p", "pytest_cov.plugin"),
            "--cov=snippets.how_to_work.endpoint_tests.notes",
            *("--cov-branch", "--cov-fail-under=100", "--cov-report=term-missing"),
            str(SNIPPETS / tests),
        ],
        cwd=ROOT,
        env=child_pytest_env(COVERAGE_FILE=str(tmp_path / f".coverage.{tests}")),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_coverage_gate_fails_an_endpoint_tested_only_on_its_happy_path(
    tmp_path: Path, evidence: Evidence
) -> None:
    """Checks `pyproject.toml` (`fail_under = 100`, `branch = true`, sources `snippets` and
    `app`), then runs pytest with that gate on the endpoint module for each test set. The
    Avoid's run reports `1 passed` and fails at `88.89%`, with the `raise HTTPException` line
    missing; the Do's reports `3 passed` and `Required test coverage of 100% reached. Total
    coverage: 100.00%`."""
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
    report = [
        line
        for line in only_happy.stdout.splitlines()
        if line.startswith(("Name ", "snippets/", "TOTAL", "Required", "FAIL")) or " passed" in line
    ]
    evidence.add(
        f"exit code {only_happy.returncode}\n" + "\n".join(report),
        "pytest with the coverage gate, on the Avoid's test",
    )
    assert with_errors.returncode == 0
    assert "3 passed" in with_errors.stdout
    assert "Required test coverage of 100% reached. Total coverage: 100.00%" in with_errors.stdout
