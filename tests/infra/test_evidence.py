"""The evidence plugin (tests/evidence.py) on a project of its own: a proof without its file
fails, `--update-evidence` writes it normalised, a rerun is byte-identical, a changed failure
fails as stale and leaves the file alone, and `--no-evidence-check` compares nothing."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.pytest_project import child_pytest_env

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = Path("evidence/test_proof/test_avoid_fails.txt")
PROOF = """
import pytest


class Refused(Exception):
    pass


def test_avoid_fails(evidence, tmp_path):
    with pytest.raises(Refused) as error:
        raise Refused(f"{MESSAGE}: {object()!r}, {tmp_path}, 127.0.0.1:54321, 0.25s")
    evidence.add(error.value, "calling the Avoid")
"""
SEEN = (
    "# calling the Avoid\n"
    "test_proof.Refused: no such row: <object object at 0x...>, <tmp>, 127.0.0.1:<port>, <time>\n"
)

pytestmark = pytest.mark.slow  # it starts pytest


def project(tmp_path: Path, message: str, body: str = PROOF) -> Path:
    """A project whose one test uses the plugin, as this repository's own tests do."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pytest.ini").write_text(
        f"[pytest]\npythonpath = {ROOT}\naddopts = -p tests.evidence\n"
    )
    (folder / "test_proof.py").write_text(f"MESSAGE = {message!r}\n{body}")
    return folder


def rerun(folder: Path, *args: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=child_pytest_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout


def test_a_proof_without_its_file_fails_until_it_is_written(tmp_path: Path) -> None:
    folder = project(tmp_path, "no such row")
    code, output = rerun(folder)
    assert code == 1
    assert f"no evidence file {EVIDENCE}: write it with `uv run pytest --update-evidence" in output
    assert not (folder / EVIDENCE).exists()

    code, _ = rerun(folder, "--update-evidence")
    assert code == 0
    written = (folder / EVIDENCE).read_bytes()
    assert written.decode() == SEEN  # this machine's address, folder, port and timing are gone

    code, _ = rerun(folder)  # a new address, folder and port: the same bytes
    assert code == 0
    assert (folder / EVIDENCE).read_bytes() == written


def test_a_changed_failure_is_stale_and_the_file_stays(tmp_path: Path) -> None:
    folder = project(tmp_path, "no such row")
    assert rerun(folder, "--update-evidence")[0] == 0
    (folder / "test_proof.py").write_text(
        (folder / "test_proof.py").read_text().replace("no such row", "a new text")
    )

    code, output = rerun(folder)
    assert code == 1
    assert f"{EVIDENCE} is stale: the proof now observes otherwise" in output
    assert "-test_proof.Refused: no such row" in output
    assert "+test_proof.Refused: a new text" in output
    assert (folder / EVIDENCE).read_text() == SEEN

    assert rerun(folder, "--no-evidence-check")[0] == 0  # other versions of the stack
    assert (folder / EVIDENCE).read_text() == SEEN


def test_a_proof_that_records_nothing_fails(tmp_path: Path) -> None:
    folder = project(tmp_path, "", "def test_avoid_fails(evidence):\n    assert True\n")
    code, output = rerun(folder, "--update-evidence")
    assert code == 1
    assert "the proof asked for `evidence` and recorded nothing" in output
    assert not (folder / EVIDENCE).exists()


def test_a_failing_proof_writes_no_evidence(tmp_path: Path) -> None:
    body = PROOF.replace("raise Refused(", "pass  # (")
    folder = project(tmp_path, "no such row", body)
    code, output = rerun(folder, "--update-evidence")
    assert code == 1
    assert "DID NOT RAISE" in output
    assert not (folder / EVIDENCE).exists()
