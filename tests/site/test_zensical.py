"""Zensical, Material for MkDocs' successor, builds the same mkdocs.yml with the same pages."""

import pytest

from tests.site.zensical import zensical_site

# Builds the whole site (MkDocs or Zensical) in another process.
pytestmark = pytest.mark.slow


def test_zensical_builds_the_site_strictly() -> None:
    with zensical_site("--strict") as (result, site):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No issues found" in result.stdout + result.stderr
        page = (site / "lifecycle/lifespan/index.html").read_text()
        assert "The rule" in page and "Proven by" in page  # our Markdown extension ran
        assert 'class="tabbed-labels"' in page  # content tabs
        assert "engine.dispose" in page  # included snippet code
        assert (site / "downloads/agents-md.txt").is_file()
