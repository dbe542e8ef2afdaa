"""The Pages workflow builds what CI checks, with the lock, and the site knows where it lives."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from rulebook.source import read_config
from tests.site.conftest import ROOT


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    return data


def test_pages_workflow_builds_strictly_from_the_lock_and_deploys_the_site() -> None:
    build = workflow()["jobs"]["build"]["steps"]
    commands = [step["run"] for step in build if "run" in step]
    assert commands == [
        "uv sync --locked",
        "uv run rulebook generate --check",
        "uv run mkdocs build --strict",
    ]
    upload = next(step for step in build if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "site"
    deploy = workflow()["jobs"]["deploy"]["steps"]
    assert any("deploy-pages" in step.get("uses", "") for step in deploy)


def test_site_url_repo_url_and_edit_uri_are_set() -> None:
    config = read_config(ROOT)
    assert str(config["site_url"]).startswith("https://")
    assert str(config["repo_url"]).startswith("https://github.com/")
    edit = str(config["edit_uri"])
    assert edit.startswith("edit/main/") and (ROOT / edit.removeprefix("edit/main/")).is_dir()


@pytest.mark.slow
def test_built_site_links_the_published_address(built_site: Path) -> None:
    page = (built_site / "lifecycle/lifespan/index.html").read_text()
    site_url = str(read_config(ROOT)["site_url"])
    assert f'<link rel="canonical" href="{site_url}lifecycle/lifespan/">' in page
