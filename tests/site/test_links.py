"""Every internal link, asset and download on the built site resolves, anchors included."""

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from rulebook.generate import ARCHIVE, DOWNLOADS
from tests.site.conftest import ROOT, SUB_PATH

# Builds the whole site (MkDocs or Zensical) in another process.
pytestmark = pytest.mark.slow


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if element_id := values.get("id"):
            self.ids.add(element_id)
        for name in ("href", "src"):
            if (value := values.get(name)) and not (
                tag == "link" and values.get("rel") in {"canonical", "alternate"}
            ):
                self.links.append(value)


def _parse(page: Path) -> _References:
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, link: str) -> Path | None:
    """The file a relative link points at, or None for external and special links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")):
        return None
    if parts.path.startswith("/"):  # absolute, as on 404.html: under the site's sub-path
        assert parts.path.startswith(f"/{SUB_PATH}/"), f"{page}: {link} is outside the site"
        path = (site / unquote(parts.path).removeprefix(f"/{SUB_PATH}/")).resolve()
    else:
        path = (page.parent / unquote(parts.path)).resolve()
    if path.is_dir():
        path = path / "index.html"
    assert path.is_relative_to(site.resolve()), f"{page}: {link} leaves the site"
    return path


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    parsed = {page.resolve(): _parse(page) for page in pages}
    broken: list[str] = []
    checked = 0
    for page, references in parsed.items():
        for link in references.links:
            target = _target(built_site, page, link)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site.resolve())}: {link}")
                continue
            fragment = urldefrag(link).fragment
            if fragment and target in parsed and unquote(fragment) not in parsed[target].ids:
                broken.append(f"{page.relative_to(built_site.resolve())}: {link} (no anchor)")
    assert broken == []
    assert checked > 100  # the crawl really followed the site's links


def test_downloads_page_offers_every_generated_file(built_site: Path) -> None:
    page = built_site / "downloads/index.html"
    links = _parse(page).links
    expected = sorted(path.name for path in (ROOT / DOWNLOADS).iterdir())
    assert ARCHIVE in expected
    assert sorted(set(expected) - set(links)) == []
    assert all((page.parent / name).is_file() for name in expected)
    for name in ("llms.txt", "llms-full.txt", "404.html", "sitemap.xml"):
        assert (built_site / name).is_file(), name
    # Left out of the search, so a rule's words find its page, not this list of files.
    index = json.loads((built_site / "search/search_index.json").read_text())
    assert not [doc for doc in index["docs"] if doc["location"].startswith("downloads/")]
    assert [doc for doc in index["docs"] if doc["location"].startswith("async-sqlalchemy/")]
