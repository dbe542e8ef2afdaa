"""The generated environments of `rulebook versions`: what their pyproject.toml installs."""

import tomllib
from pathlib import Path

from rulebook.environments import ENVIRONMENTS, pyproject

ROOT_PYPROJECT = """
[project]
name = "app-rules"
version = "1"
requires-python = ">=3.14"
dependencies = ["fastapi>=0.139,<0.140"]

[tool.uv.workspace]
members = ["tools/commands"]

[tool.uv.sources]
commands = { workspace = true }
"""


def test_an_environment_installs_the_root_and_its_commands_editable(tmp_path: Path) -> None:
    """The environment's project depends on the root and on each workspace member (the
    contributor commands, `rulebook dev` among them), each from its folder, editable: the tests
    run there start the same commands as on the pinned stack. The newest drops the bounds."""
    (tmp_path / "pyproject.toml").write_text(ROOT_PYPROJECT)
    (tmp_path / "tools" / "commands").mkdir(parents=True)
    (tmp_path / "tools" / "commands" / "pyproject.toml").write_text(
        '[project]\nname = "commands"\nversion = "0"\n'
    )
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "environments.toml").write_text('exclude-newer = "2026-12-01"\n')
    newest = next(e for e in ENVIRONMENTS if e.name == "newest")

    project = tomllib.loads(pyproject(tmp_path, newest))

    assert project["project"]["dependencies"] == ["app-rules", "commands", "fastapi"]
    assert project["tool"]["uv"]["sources"] == {
        "app-rules": {"path": "../..", "editable": True},
        "commands": {"path": "../../tools/commands", "editable": True},
    }
    assert project["tool"]["uv"]["exclude-newer"] == "2026-12-01"
