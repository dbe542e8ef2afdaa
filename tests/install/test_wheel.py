"""The published package as a user gets it: the wheel `uv build` makes, installed with uv into a
throwaway environment beside a FastAPI newer than the rule set's, then `fastapi-rulebook init`,
`check` and `update` run in a temporary git repository from that environment's command."""

import json
import os
import re
import subprocess
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from fastapi_rulebook.install.files import BEGIN, release
from fastapi_rulebook.install.installer import LOCK
from rulebook.generate import PACKAGE_DATA
from tests.build_once import build_once, early

LIFESPAN_AVOID = "snippets/lifecycle/lifespan/avoid.py"

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
STACK = [Requirement(line) for line in PYPROJECT["dependency-groups"]["stack"]]
STACK_NAMES = {requirement.name for requirement in STACK}
(FASTAPI,) = [requirement for requirement in STACK if requirement.name == "fastapi"]
# The first FastAPI past the series the rule set pins (`<0.140`): a project on a newer one.
(NEWER_THAN_PINNED,) = [spec.version for spec in FASTAPI.specifier if spec.operator == "<"]

pytestmark = pytest.mark.slow  # builds a wheel and installs it with uv


@dataclass(frozen=True)
class Wheel:
    path: Path
    bin: Path  # the throwaway environment's scripts


@pytest.fixture(scope="session")
def wheel(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Wheel:
    """The wheel, built once for the whole run, and an environment holding it and a newer
    FastAPI (every xdist worker uses the same)."""
    out = build_once(pytestconfig, tmp_path_factory, "wheel", build_wheel)
    (built,) = out.glob("fastapi_rulebook-*.whl")
    return Wheel(path=built, bin=out / "env" / "bin")


@early("wheel", "wheel")
def build_wheel(out: Path) -> None:
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("fastapi_rulebook-*.whl")
    env = out / "env"
    subprocess.run(["uv", "venv", "--quiet", "--python", "3.14", str(env)], check=True)
    subprocess.run(
        [
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            str(env / "bin" / "python"),
            str(built),
            f"fastapi>={NEWER_THAN_PINNED}",
        ],
        check=True,
    )


def test_the_wheel_holds_the_package_and_its_agent_files_only(wheel: Wheel) -> None:
    with zipfile.ZipFile(wheel.path) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        data = archive.read("fastapi_rulebook/install/agent_files.json")
    assert {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    } == {"fastapi_rulebook"}
    assert data == (ROOT / PACKAGE_DATA).read_bytes()  # the files `rulebook generate` wrote
    requires = [
        Requirement(line.removeprefix("Requires-Dist: ")).name
        for line in metadata.decode().splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    assert requires == ["typer"]
    assert not STACK_NAMES & set(requires)


def fastapi_rulebook(wheel: Wheel, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, run in the repository as a user runs it, with no network."""
    env = {**os.environ, "PATH": f"{wheel.bin}{os.pathsep}{os.environ['PATH']}"}
    env |= {
        "UV_OFFLINE": "1",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    return subprocess.run(
        [str(wheel.bin / "fastapi-rulebook"), *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_init_check_update_in_a_git_repository_beside_a_newer_fastapi(
    wheel: Wheel, tmp_path: Path
) -> None:
    python = wheel.bin / "python"
    version = subprocess.run(
        [str(python), "-c", "import fastapi; print(fastapi.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Version(version) >= Version(NEWER_THAN_PINNED)

    repo = tmp_path / "service"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "AGENTS.md").write_text("# Our service\n\nRun `make test` before pushing.\n")
    (repo / ".cursor/rules").mkdir(parents=True)
    theirs = repo / ".cursor/rules/fastapi-rulebook-stack.mdc"
    theirs.write_text("---\nalwaysApply: true\n---\nOur own stack notes.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "our files")

    # A file of theirs where a rule file goes: named, nothing written.
    refused = fastapi_rulebook(wheel, repo, "init")
    assert refused.returncode == 1
    assert ".cursor/rules/fastapi-rulebook-stack.mdc: exists and was not written" in refused.stderr
    assert git(repo, "status", "--porcelain") == ""

    # --force keeps it as .bak; their AGENTS.md keeps its text, the rules in the managed block.
    forced = fastapi_rulebook(wheel, repo, "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (repo / ".cursor/rules/fastapi-rulebook-stack.mdc.bak").read_text() == (
        "---\nalwaysApply: true\n---\nOur own stack notes.\n"
    )
    agents = (repo / "AGENTS.md").read_text()
    assert agents.startswith("# Our service\n\nRun `make test` before pushing.\n")
    assert BEGIN in agents
    assert theirs.read_text() == release().targets["cursor-rules"][str(theirs.relative_to(repo))]
    record = tomllib.loads((repo / LOCK).read_text())
    assert record["version"] == release().version and record["tools"] == ["cursor"]
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "install the rules")

    checked = fastapi_rulebook(wheel, repo, "check")
    assert checked.returncode == 0, checked.stderr

    # A hand edit inside the managed block: check names it, update refuses it without --force.
    (repo / "AGENTS.md").write_text(agents.replace("\n- ", "\n- (edited) ", 1))
    checked = fastapi_rulebook(wheel, repo, "check")
    assert checked.returncode == 1
    assert "AGENTS.md: edited inside its managed block" in checked.stderr
    updated = fastapi_rulebook(wheel, repo, "update")
    assert updated.returncode == 1
    assert "AGENTS.md: edited by hand since it was installed" in updated.stderr
    updated = fastapi_rulebook(wheel, repo, "update", "--force")
    assert updated.returncode == 0, updated.stderr
    assert (repo / "AGENTS.md").read_text() == agents
    assert fastapi_rulebook(wheel, repo, "check").returncode == 0
    assert re.fullmatch(r"(\?\? AGENTS\.md\.bak\n)", git(repo, "status", "--porcelain"))


def test_lint_from_the_wheel_reports_findings_and_names_a_broken_file(
    wheel: Wheel, tmp_path: Path
) -> None:
    repo = tmp_path / "service"
    (repo / "app").mkdir(parents=True)
    (repo / "app" / "main.py").write_bytes((ROOT / LIFESPAN_AVOID).read_bytes())
    (repo / "app" / "broken.py").write_text("def broken(:\n")

    result = fastapi_rulebook(wheel, repo, "lint", "--output-format", "json", "app")

    assert result.returncode == 1
    found = [(f["location"]["row"], f["code"]) for f in json.loads(result.stdout)]
    assert found == [(12, "RB701"), (17, "RB701")]
    assert "error: app/broken.py:1:12: does not parse" in result.stderr
