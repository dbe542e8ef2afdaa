"""The site in a real browser (Debian's Chromium, driven by Playwright): tabs, search, downloads.

Screenshots of every step are saved under test-artifacts/browser/ for a person to look at.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.site.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"
RULE_PAGES = (
    "lifecycle/lifespan/",
    "async-sqlalchemy/missing-greenlet/",
    "security/password-hashing/",
)
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    yield await context.new_page()
    await context.close()


async def snap(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=False)


async def test_home_and_rule_pages_render(page: Page, site_url: str) -> None:
    await page.goto(site_url)
    await expect(page.locator("article h1")).to_contain_text("FastAPI Rulebook")
    await snap(page, "home")
    for path in RULE_PAGES:
        await page.goto(site_url + path)
        card = page.locator(".admonition.abstract")
        await expect(card.locator(".admonition-title")).to_have_text("The rule")
        await expect(card).to_contain_text("Proven by")
        await expect(card).to_contain_text("Tested with Python 3.14")
        await expect(page.locator(".tabbed-labels label")).to_have_text(["Do", "Avoid"])
        await snap(page, path.strip("/").replace("/", "-"))


async def test_avoid_tab_choice_follows_the_reader(page: Page, site_url: str) -> None:
    await page.goto(site_url + RULE_PAGES[0])
    avoid = page.locator(".tabbed-labels label", has_text="Avoid")
    await avoid.click()
    await expect(page.locator(".tabbed-block").nth(1)).to_be_visible()
    await expect(page.locator(".tabbed-block").nth(1)).to_contain_text("on_event")
    await snap(page, "avoid-chosen")

    await page.goto(site_url + RULE_PAGES[2])
    # Linked tabs: the Avoid tab opens by itself on the next page.
    await expect(page.locator(".tabbed-block").nth(1)).to_be_visible()
    await expect(page.locator(".tabbed-block").nth(0)).to_be_hidden()
    await snap(page, "avoid-persists")


async def test_search_finds_a_rule(page: Page, site_url: str) -> None:
    await page.goto(site_url)
    await page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a reader does: the search box reacts to key events.
    await page.locator(".md-search__input").press_sequentially("eagerly", delay=50)
    result = page.locator(".md-search-result__item").first
    await expect(result).to_contain_text("Load eagerly", timeout=10_000)
    await snap(page, "search")
    await result.locator("a").first.click()
    await expect(page).to_have_url(f"{site_url}async-sqlalchemy/missing-greenlet/?h=eagerly")
    # search.highlight marks the term on the page it opens.
    await expect(page.locator("article mark").first).to_have_text("eagerly", ignore_case=True)


async def test_download_link_saves_the_agent_file(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    await page.goto(site_url + "downloads/")
    await snap(page, "downloads")
    async with page.expect_download() as download_info:
        await page.locator('a[download="AGENTS.md"]').first.click()
    download = await download_info.value
    assert download.suggested_filename == "AGENTS.md"
    saved = tmp_path / "AGENTS.md"
    await download.save_as(saved)
    assert saved.read_text() == (ROOT / "AGENTS.md").read_text()
