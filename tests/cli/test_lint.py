"""`fastapi-rulebook lint`: output like ruff's, exit codes, `--select`/`--ignore`, `# noqa`,
`[tool.fastapi-rulebook]`, the output formats, and a file that does not parse."""

import json
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from fastapi_rulebook.cli import app
from fastapi_rulebook.lint.codes import CODES
from fastapi_rulebook.lint.runner import PARALLEL_FROM, Options, lint
from tests.lint import ROOT

ON_EVENT = """\
from fastapi import FastAPI

app = FastAPI()


@app.on_event("startup")
async def start() -> None: ...
"""
ENVIRON = 'import os\n\nURL = os.environ["APP_DATABASE_URL"]\n'


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's service: two modules with one finding each, and a clean one."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text(ON_EVENT)
    (tmp_path / "src" / "config.py").write_text(ENVIRON)
    (tmp_path / "src" / "clean.py").write_text("VALUE = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["lint", *args], catch_exceptions=False)


def test_findings_are_printed_like_ruff_and_exit_1(service: Path) -> None:
    result = run("src")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"src/config.py:3:7: RB702 {CODES['RB702'].message} ({CODES['RB702'].url})",
        f"src/main.py:6:2: RB701 {CODES['RB701'].message} ({CODES['RB701'].url})",
        "Found 2 findings.",
    ]
    assert (
        CODES["RB701"].url
        == "https://fastapi-rulebook.github.io/fastapi-rulebook/lifecycle/lifespan/"
    )


def test_clean_code_exits_0_and_prints_nothing(service: Path) -> None:
    result = run("src/clean.py")
    assert (result.exit_code, result.output) == (0, "")


def test_no_path_means_the_current_folder(service: Path) -> None:
    result = run()
    assert result.exit_code == 1
    assert "Found 2 findings." in result.output


def test_select_and_ignore_take_codes_and_prefixes(service: Path) -> None:
    assert "RB701" not in run("--select", "RB702", "src").output
    assert "RB702" not in run("--ignore", "RB7,RB9", "src").output
    assert run("--ignore", "RB7", "src").exit_code == 0
    assert "Found 1 finding." in run("--select", "RB70", "--ignore", "RB702", "src").output


def test_an_unknown_code_is_refused(service: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "--select", "RB999", "src"])
    assert result.exit_code == 2
    assert "--select: `RB999` selects no code" in result.output


def test_noqa_silences_the_named_code_on_its_line(service: Path) -> None:
    (service / "src" / "config.py").write_text(
        "import os\n\n"
        'A = os.environ["A"]  # noqa: RB702\n'
        'B = os.environ["B"]  # noqa: RB101\n'  # another code: still reported
        'C = os.environ["C"]  # noqa\n'
    )
    result = run("src/config.py")
    assert [line.split(" ")[0] for line in result.output.splitlines()[:-1]] == [
        "src/config.py:4:5:"
    ]


def test_configuration_in_pyproject(service: Path) -> None:
    (service / "pyproject.toml").write_text(
        '[tool.fastapi-rulebook]\nignore = ["RB701"]\nexclude = ["src/config.py"]\n'
    )
    assert (run("src").exit_code, run("src").output) == (0, "")
    # The command line wins over the configuration.
    assert "RB701" in run("--ignore", "RB702", "src").output


def test_exclude_globs_are_read_from_the_configurations_folder(
    service: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (service / "pyproject.toml").write_text('[tool.fastapi-rulebook]\nexclude = ["**/main.py"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "main.py"
    elsewhere.write_text(ON_EVENT)
    result = run("src", str(elsewhere))
    assert {line.split(": ")[0] for line in result.output.splitlines()[:-1]} == {
        "src/config.py:3:7",
        f"{elsewhere.as_posix()}:6:2",  # outside the project: no glob of its applies
    }


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ('[tool.fastapi-rulebook]\nselect = "RB"\n', "`select` must be a list of strings"),
        ("[tool.fastapi-rulebook]\nfix = true\n", "unknown key `fix`"),
        ('[tool.fastapi-rulebook]\nignore = ["XY1"]\n', "`XY1` selects no code"),
        ("[tool]\nfastapi-rulebook = 1\n", "[tool.fastapi-rulebook] must be a table"),
        ("[tool\n", "invalid TOML"),
    ],
)
def test_a_bad_configuration_names_the_file_and_the_key(
    service: Path, config: str, error: str
) -> None:
    (service / "pyproject.toml").write_text(config)
    result = CliRunner().invoke(app, ["lint", "src"])
    assert result.exit_code == 2
    assert f"{service / 'pyproject.toml'}" in result.output
    assert error in result.output


def test_a_file_that_does_not_parse_is_named_and_the_rest_still_checked(service: Path) -> None:
    (service / "src" / "broken.py").write_text("def broken(:\n")
    result = run("src")
    assert result.exit_code == 1
    assert "error: src/broken.py:1:12: does not parse: invalid syntax" in result.output
    assert "Found 2 findings." in result.output


def test_a_file_that_is_not_utf8_is_named(service: Path) -> None:
    (service / "src" / "latin.py").write_bytes(b"NAME = '\xe9'\n")
    result = run("src/latin.py")
    assert result.exit_code == 1
    assert "error: src/latin.py: cannot read:" in result.output


def test_a_missing_path_is_named(service: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "nowhere"])
    assert result.exit_code == 2
    assert "no such file or folder: nowhere" in result.output


def test_virtualenvs_are_skipped(service: Path) -> None:
    (service / ".venv" / "lib").mkdir(parents=True)
    (service / ".venv" / "lib" / "vendored.py").write_text(ON_EVENT)
    assert "vendored" not in run(".").output


def test_json_output(service: Path) -> None:
    result = run("--output-format", "json", "src/main.py")
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "code": "RB701",
            "message": CODES["RB701"].message,
            "url": CODES["RB701"].url,
            "filename": "src/main.py",
            "location": {"row": 6, "column": 2},
        }
    ]


def test_github_output_annotates_the_line(service: Path) -> None:
    result = run("--output-format", "github", "src/main.py")
    assert result.output == (
        "::error title=fastapi-rulebook (RB701),file=src/main.py,line=6,col=2::"
        f"RB701 {CODES['RB701'].message} ({CODES['RB701'].url})\n"
    )


def test_sarif_output_names_each_rule_once(service: Path) -> None:
    result = run("--output-format", "sarif", "src")
    sarif = json.loads(result.output)
    (sarif_run,) = sarif["runs"]
    assert sarif["version"] == "2.1.0"
    assert [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]] == ["RB701", "RB702"]
    assert [
        (r["ruleId"], r["ruleIndex"], r["locations"][0]["physicalLocation"]["region"])
        for r in sarif_run["results"]
    ] == [
        ("RB702", 1, {"startLine": 3, "startColumn": 7}),
        ("RB701", 0, {"startLine": 6, "startColumn": 2}),
    ]


def test_an_unknown_output_format_is_refused(service: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "--output-format", "xml", "src"])
    assert result.exit_code == 2
    assert "use one of text, json, sarif, github" in result.output


def test_the_pre_commit_hook_runs_this_command(service: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    command, *args = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[command] == "fastapi_rulebook.cli:main"
    assert hook["types"] == ["python"]  # pre-commit passes the staged Python files
    result = CliRunner().invoke(app, [*args, "src/main.py", "src/clean.py"])
    assert (result.exit_code, result.output.count("RB701")) == (1, 1)


def test_alembic_revisions_are_left_alone(service: Path) -> None:
    versions = service / "alembic" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_users.py").write_text('revision = "0001"\ndown_revision = None\n' + ON_EVENT)
    (versions / "helpers.py").write_text(ON_EVENT)  # in versions/, but no revision
    result = run("alembic")
    assert [line.split(":")[0] for line in result.output.splitlines()[:-1]] == [
        "alembic/versions/helpers.py"
    ]


def test_a_large_tree_checked_in_processes_gives_the_serial_result(tmp_path: Path) -> None:
    """Above `PARALLEL_FROM` files the tree is split across processes: the findings, their
    order, the parse errors and the counts are those of one process."""
    for n in range(PARALLEL_FROM + 10):
        module = ON_EVENT if n % 3 else ENVIRON
        (tmp_path / f"module_{n:03}.py").write_text(module if n != 7 else "def broken(:\n")
    options = Options()

    serial = lint([tmp_path], options, jobs=1)
    parallel = lint([tmp_path], options, jobs=2)

    assert parallel == serial
    assert serial.files == PARALLEL_FROM + 10
    assert len(serial.findings) == PARALLEL_FROM + 9
    assert serial.parse_errors == [
        f"{tmp_path / 'module_007.py'}:1:12: does not parse: invalid syntax"
    ]
