"""Zensical, Material for MkDocs' successor, builds the same mkdocs.yml with the same pages."""

import shutil
import subprocess
import sys
import uuid

from tests.site.conftest import ROOT


def test_zensical_builds_the_site_strictly() -> None:
    # zensical has no --site-dir and keeps the site inside the project: a copy of mkdocs.yml
    # beside it sends the output to a folder of this test's own, removed afterwards.
    name = f".zensical-{uuid.uuid4().hex}"
    config, site = ROOT / f"{name}.yml", ROOT / name
    config.write_text((ROOT / "mkdocs.yml").read_text() + f"\nsite_dir: {name}\n", encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No issues found" in result.stdout + result.stderr
        page = (site / "lifecycle/lifespan/index.html").read_text()
        assert "The rule" in page and "Proven by" in page  # our Markdown extension ran
        assert 'class="tabbed-labels"' in page  # content tabs
        assert "engine.dispose" in page  # included snippet code
        assert (site / "downloads/AGENTS.md.txt").is_file()
    finally:
        config.unlink()
        shutil.rmtree(site, ignore_errors=True)
