"""The evidence plugin (tests/evidence.py) on a project of its own: a proof without its file
fails, `--update-evidence` writes it normalised, a rerun is byte-identical, a changed failure
fails as stale and leaves the file alone, and `--no-evidence-check` compares nothing.

pytest runs that project in this process (pytester): the plugin is pure pytest, and a new
interpreter would add about 0.6 s of start-up to each of the nine runs and prove nothing more.
"""

from pathlib import Path

import pytest

from tests.pytest_project import use_child_pytest_env

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


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder of a project whose tests use the plugin, as this repository's own tests do.
    Its runs load no plugin but the one its `pytest.ini` names, are no worker of this run's
    xdist, and keep their `tmp_path` where a user's run does (pytester would nest it in its
    own folder, whose path the plugin is not meant to know)."""
    use_child_pytest_env(monkeypatch)
    monkeypatch.delenv("PYTEST_DEBUG_TEMPROOT")
    pytester.makeini(f"[pytest]\npythonpath = {ROOT}\naddopts = -p tests.evidence\n")
    return pytester.path


def write_proof(folder: Path, message: str, body: str = PROOF) -> Path:
    (folder / "test_proof.py").write_text(f"MESSAGE = {message!r}\n{body}")
    return folder


def rerun(pytester: pytest.Pytester, *args: str) -> tuple[int, str]:
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", *args)
    return int(result.ret), result.stdout.str()


def test_a_proof_without_its_file_fails_until_it_is_written(
    project: Path, pytester: pytest.Pytester
) -> None:
    folder = write_proof(project, "no such row")
    code, output = rerun(pytester)
    assert code == 1
    assert f"no evidence file {EVIDENCE}: write it with `uv run pytest --update-evidence" in output
    assert not (folder / EVIDENCE).exists()

    code, _ = rerun(pytester, "--update-evidence")
    assert code == 0
    written = (folder / EVIDENCE).read_bytes()
    assert written.decode() == SEEN  # this machine's address, folder, port and timing are gone

    code, _ = rerun(pytester)  # a new address, folder and port: the same bytes
    assert code == 0
    assert (folder / EVIDENCE).read_bytes() == written


def test_a_changed_failure_is_stale_and_the_file_stays(
    project: Path, pytester: pytest.Pytester
) -> None:
    folder = write_proof(project, "no such row")
    assert rerun(pytester, "--update-evidence")[0] == 0
    (folder / "test_proof.py").write_text(
        (folder / "test_proof.py").read_text().replace("no such row", "a new text")
    )

    code, output = rerun(pytester)
    assert code == 1
    assert f"{EVIDENCE} is stale: the proof now observes otherwise" in output
    assert "-test_proof.Refused: no such row" in output
    assert "+test_proof.Refused: a new text" in output
    assert (folder / EVIDENCE).read_text() == SEEN

    assert rerun(pytester, "--no-evidence-check")[0] == 0  # other versions of the stack
    assert (folder / EVIDENCE).read_text() == SEEN


def test_a_proof_that_records_nothing_fails(project: Path, pytester: pytest.Pytester) -> None:
    folder = write_proof(project, "", "def test_avoid_fails(evidence):\n    assert True\n")
    code, output = rerun(pytester, "--update-evidence")
    assert code == 1
    assert "the proof asked for `evidence` and recorded nothing" in output
    assert not (folder / EVIDENCE).exists()


def test_a_failing_proof_writes_no_evidence(project: Path, pytester: pytest.Pytester) -> None:
    body = PROOF.replace("raise Refused(", "pass  # (")
    folder = write_proof(project, "no such row", body)
    code, output = rerun(pytester, "--update-evidence")
    assert code == 1
    assert "DID NOT RAISE" in output
    assert not (folder / EVIDENCE).exists()
