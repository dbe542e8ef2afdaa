"""The site in a real browser (Debian's Chromium, driven by Playwright): tabs, search, downloads.

Screenshots of every step are saved under test-artifacts/browser/ for a person to look at.
"""

import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright, expect

from fastapi_rulebook.install.files import release
from fastapi_rulebook.install.tools import TARGETS
from rulebook.downloads import browser_name
from rulebook.markdown import current_rulebook
from rulebook.source import read_config
from tests.site.conftest import ROOT, SUB_PATH

ARTIFACTS = ROOT / "test-artifacts" / "browser"
PUBLISHED = str(read_config(ROOT)["site_url"])
TOP_TABS = ["Home", "Rules", "Summaries", "For agents", "Reference"]
# The first screen of a 1400 px wide window: the Do/Avoid tabs start above it on every rule page.
FOLD = 900
# The snippets' line length (ruff's `line-length`): a line this long shows whole from 1280 px.
LINE_LENGTH = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["line-length"]
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
# How long an `expect` waits for the page to get there. Playwright's 5 s is too short on a busy
# machine: with both cores taken by other tests, a page reached by instant navigation has been
# seen to take longer to show. These tests prove what the page shows, not how soon.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


# Material's search worker builds its index of the whole site (search/search_index.json) on
# every full page load: about 0.6 s of CPU each time here. Only the tests of search let it run;
# blocked, the rest of the page is the same and search alone does not answer.
SEARCH_WORKER = "**/assets/javascripts/workers/search.*.js"


async def without_search(context: BrowserContext) -> BrowserContext:
    """`context`, with the search worker's script refused (route it after any other route)."""
    await context.route(SEARCH_WORKER, lambda route: route.abort())
    return context


@pytest.fixture
async def search_page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh page whose search works."""
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    yield await context.new_page()
    await context.close()


@pytest.fixture
async def page(search_page: Page) -> Page:
    """A fresh page with the search worker blocked."""
    await without_search(search_page.context)
    return search_page


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


async def test_do_and_avoid_differ_at_a_glance(page: Page, site_url: str) -> None:
    """Each tab has its marker and colour; the Avoid opens with a "don't copy" cue and has no
    copy button, while the Do keeps one."""
    await page.goto(site_url + RULE_PAGES[0])
    labels = page.locator(".tabbed-labels label")
    style = "label => [getComputedStyle(label, '::before').content, getComputedStyle(label).color]"
    do = await labels.nth(0).evaluate(style)
    avoid = await labels.nth(1).evaluate(style)
    assert do[0] == '"✓"' and avoid[0] == '"✗"', (do, avoid)
    assert do[1] != avoid[1]
    copy = '.md-code__button[data-md-type="copy"]'
    await page.locator(".tabbed-block").nth(0).locator("pre").first.hover()
    await expect(page.locator(".tabbed-block").nth(0).locator(copy).first).to_be_visible()
    await labels.nth(1).click()
    block = page.locator(".tabbed-block").nth(1)
    await expect(block.locator(".rulebook-avoid-cue")).to_contain_text("Don't copy")
    await expect(block).to_contain_text("on_event")
    # The Avoid's code, first in its tab (the evidence under it may be copied).
    avoid_code = block.locator("pre").first
    await avoid_code.hover()
    await expect(avoid_code.locator(copy)).to_have_count(1)
    await expect(avoid_code.locator(copy)).to_be_hidden()
    await snap(page, "avoid-chosen")


async def test_a_page_opens_on_do_whatever_was_picked_before(page: Page, site_url: str) -> None:
    await page.goto(site_url + RULE_PAGES[0])
    await page.locator(".tabbed-labels label", has_text="Avoid").click()
    await expect(page.locator(".tabbed-block").nth(1)).to_be_visible()
    # Through the site's own link (instant navigation), as a reader moves on.
    await page.locator(".md-footer__link--next").click()
    await expect(page).not_to_have_url(site_url + RULE_PAGES[0])
    await expect(page.locator(".tabbed-block").nth(0)).to_be_visible()
    await expect(page.locator(".tabbed-block").nth(1)).to_be_hidden()
    await page.goto(site_url + RULE_PAGES[2])
    await expect(page.locator(".tabbed-block").nth(0)).to_be_visible()
    await expect(page.locator(".tabbed-block").nth(1)).to_be_hidden()
    await snap(page, "do-on-the-next-page")


async def test_search_finds_a_rule(search_page: Page, site_url: str) -> None:
    page = search_page
    await page.goto(site_url)
    await page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a reader does: the search box reacts to key events.
    await page.locator(".md-search__input").press_sequentially("eagerly", delay=50)
    result = page.locator(".md-search-result__item").first
    await expect(result).to_contain_text("Load eagerly")
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


async def test_downloads_page_at_phone_width_says_the_name_to_save_as(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    """At 390 px nothing scrolls sideways but the code blocks. Chromium drops the leading dot of
    a download's name: the page says so, names the file to save as, and its `curl` line saves
    under that name."""
    context = await without_search(
        await browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    )
    page = await context.new_page()
    await page.goto(site_url + "downloads/")
    await snap(page, "downloads-390px")
    width = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    commands = "\n".join(await page.locator("pre").all_inner_texts())
    dotted = {
        path: text
        for target, files in release().targets.items()
        if TARGETS[target].one_file
        for path, text in files.items()
        if Path(path).name.startswith(".")
    }
    assert {".cursorrules", ".windsurfrules", ".rules"} <= set(dotted)
    for path, text in dotted.items():
        link = page.locator(f'a[download="{path}"]').first
        item = page.locator("li", has=link).first
        await expect(item).to_contain_text(f"save as {path}")
        async with page.expect_download() as download_info:
            await link.click()
        download = await download_info.value
        assert download.suggested_filename == browser_name(path) != path
        await expect(item).to_contain_text(f"Chromium saves it as {browser_name(path)}")
        saved = tmp_path / path
        await download.save_as(saved)
        assert saved.read_text() == text
        # The same file on the published site, saved under its own name.
        href = str(await link.evaluate("link => link.href")).removeprefix(site_url)
        assert f"curl -fsSLo {path} {PUBLISHED}{href}\n" in commands
    llms = page.locator("article a", has_text="llms.txt").first
    await expect(llms).to_be_visible()
    assert await llms.evaluate("link => link.href") == f"{site_url}llms.txt"
    await context.close()


# What a reader types, and the rule page whose statement says it: it must be the first result.
SEARCHES = {
    "greenlet": "missing-greenlet",
    "CORS middleware": "cors-origins",
    "orm_mode": "pydantic-v2-api",
    "lifespan": "lifespan",
}


@pytest.mark.parametrize(("query", "rule_id"), SEARCHES.items())
async def test_search_ranks_first_a_rule_page_that_states_it(
    search_page: Page, site_url: str, query: str, rule_id: str
) -> None:
    """Typed in the real search box, each query lists first the rule page whose statement
    says it, never the downloads page, and no preview runs the tab labels together."""
    page = search_page
    rule = next(rule for rule in current_rulebook(ROOT).rules if rule.id == rule_id)
    squashed = rule.statement.lower().replace(" ", "")
    assert all(word.lower() in squashed for word in query.split()), rule.statement
    await page.goto(site_url)
    await page.locator("label.md-search__icon, .md-search__input").first.click()
    await page.locator(".md-search__input").press_sequentially(query, delay=50)
    results = page.locator(".md-search-result__item")
    await expect(results.first).to_contain_text(rule.title.replace("`", ""))
    links = await page.locator(".md-search-result__link").evaluate_all(
        "links => links.map(link => link.href)"
    )
    assert links[0].startswith(site_url + rule.page.with_suffix("").as_posix() + "/"), links
    assert not any("/downloads/" in link for link in links)
    previews = await page.locator(".md-search-result").inner_text()
    assert "DoAvoid" not in previews
    await snap(page, "search-" + "-".join(query.lower().split()))


@pytest.mark.parametrize("width", [1280, 390])
async def test_every_top_tab_and_section_is_reachable_unclipped(
    browser: Browser, site_url: str, width: int
) -> None:
    """Wide, every top tab shows whole inside the window; narrow, the tabs move into the menu
    drawer, where every top entry and, under Rules, every section shows whole."""
    context = await without_search(
        await browser.new_context(viewport={"width": width, "height": 900})
    )
    page = await context.new_page()
    await page.goto(site_url)
    sections = [section.title for section in current_rulebook(ROOT).sections]
    if width >= 1220:  # Material shows the tabs from 76.25em
        tabs = page.locator(".md-tabs__item")
        await expect(tabs).to_have_text(TOP_TABS)
        for box in [await tab.bounding_box() for tab in await tabs.all()]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        tab_list = page.locator(".md-tabs__list")
        assert await tab_list.evaluate("list => list.scrollWidth <= list.clientWidth")
    else:
        await page.locator('.md-header label[for="__drawer"]').click()
        top = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item")
        titles = await top.evaluate_all(
            "items => items.map(item => item.querySelector('.md-nav__link').innerText.trim())"
        )
        assert titles == TOP_TABS
        await page.locator(".md-nav--primary label.md-nav__link", has_text="Rules").click()
        for title in sections:
            link = page.locator(".md-nav--primary .md-nav__link", has_text=title).first
            # Whole inside the window once the drawer has slid in.
            await expect(link).to_be_in_viewport(ratio=1)
    await snap(page, f"nav-{width}px")
    await context.close()


def _rule_paths() -> list[str]:
    return [rule.page.with_suffix("").as_posix() + "/" for rule in current_rulebook(ROOT).rules]


@pytest.mark.load
async def test_every_rule_page_shows_its_do_and_avoid_tabs_on_the_first_screen(
    browser: Browser, site_url: str
) -> None:
    """At 1400 x 900 the rule card is short enough that the tabs start on the first screen."""
    context = await without_search(
        await browser.new_context(viewport={"width": 1400, "height": 900})
    )
    page = await context.new_page()
    below: dict[str, float] = {}
    for path in _rule_paths():
        await page.goto(site_url + path)
        top = await page.locator(".tabbed-set").first.evaluate(
            "tabs => tabs.getBoundingClientRect().top + window.scrollY"
        )
        if top >= FOLD:
            below[path] = top
    await context.close()
    assert below == {}


# Every tab shown and every fold open, then each code block measured where the page lays it out.
MEASURE_CODE = """columns => {
  for (const fold of document.querySelectorAll("details")) fold.open = true;
  const style = document.createElement("style");
  style.textContent = ".tabbed-block { display: block !important }";
  document.head.append(style);
  return [...document.querySelectorAll("pre > code")].map(code => {
    const longest = Math.max(...code.innerText.split(String.fromCharCode(10)).map(l => l.length));
    const padding = parseFloat(getComputedStyle(code).paddingTop);
    const firstLine = code.getBoundingClientRect().top + padding;
    const copy = code.parentElement.querySelector(".md-code__nav");
    return {
      text: code.innerText.slice(0, 60),
      clipped: longest <= columns && code.scrollWidth > code.clientWidth,
      covered: copy !== null && copy.getBoundingClientRect().bottom > firstLine + 1,
    };
  });
}"""


@pytest.mark.load
@pytest.mark.parametrize("width", [1280, 1600])
async def test_a_100_column_line_shows_whole_in_every_code_block(
    browser: Browser, site_url: str, width: int
) -> None:
    """No code block whose lines are at most 100 columns (the snippets' line length) scrolls
    sideways, and no copy button covers a block's first line, on any rule page."""
    context = await without_search(
        await browser.new_context(viewport={"width": width, "height": 900})
    )
    page = await context.new_page()
    clipped: list[tuple[str, str]] = []
    covered: list[tuple[str, str]] = []
    for path in _rule_paths():
        await page.goto(site_url + path)
        for block in await page.evaluate(MEASURE_CODE, LINE_LENGTH):
            if block["clipped"]:
                clipped.append((path, block["text"]))
            if block["covered"]:
                covered.append((path, block["text"]))
    await context.close()
    assert clipped == []
    assert covered == []


# A host name without a port, answered by the test itself (Playwright routes its requests).
INSTANT_HOST = "http://rulebook.test"
# Each row's cells as the reader sees them, and whether the row is drawn at all.
INDEX_ROWS = """rows => rows.map(row => ({
  href: row.querySelector("a").href,
  cells: [...row.cells].map(cell => cell.innerText.trim()),
  shown: row.getClientRects().length > 0,
}))"""


async def test_home_page_lists_every_rule_and_filters_them_in_place(
    browser: Browser, built_site: Path
) -> None:
    """The home page's index has a row per rule (title, what to write, section), in the rule
    set's order; typing a word keeps only the rules that say it, clearing it shows them all.
    It is reached by instant navigation, which Material does only to the sitemap's URLs with
    this page's scheme and host but no port: the browser is served the built site on a
    port-less host name (`INSTANT_HOST`), from the folder the other tests serve over HTTP."""
    rulebook = current_rulebook(ROOT)
    rules = [(section, rule) for section in rulebook.sections for rule in section.rules]
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    site_url = f"{INSTANT_HOST}/{SUB_PATH}/"

    async def serve(route: Route) -> None:
        path = urlsplit(route.request.url).path.removeprefix(f"/{SUB_PATH}/")
        file = built_site / path
        file = file / "index.html" if file.is_dir() else file
        if file.is_file():
            await route.fulfill(path=file)
        else:
            await route.fulfill(status=404, path=built_site / "404.html")

    await context.route(f"{INSTANT_HOST}/**", serve)
    await without_search(context)  # after `serve`: routes run last-registered first
    page = await context.new_page()
    await page.goto(site_url + RULE_PAGES[0])
    await page.evaluate("window.rulebookSamePage = true")
    await page.locator(".md-tabs__link", has_text="Home").click()
    await expect(page).to_have_url(site_url)
    await expect(page.locator("article h1")).to_contain_text("FastAPI Rulebook")
    assert await page.evaluate("window.rulebookSamePage === true")  # no full reload
    rows = page.locator(".rulebook-index tbody tr")
    await expect(rows).to_have_count(len(rules))
    drawn = await rows.evaluate_all(INDEX_ROWS)
    assert [row["href"] for row in drawn] == [
        site_url + rule.page.with_suffix("").as_posix() + "/" for _, rule in rules
    ]
    assert [row["cells"] for row in drawn] == [
        [rule.title.replace("`", ""), rule.imperative.replace("`", ""), section.title]
        for section, rule in rules
    ]
    assert all(row["shown"] for row in drawn)

    box = page.locator(".rulebook-index__filter")
    await box.press_sequentially("greenlet", delay=50)
    says_it = [
        site_url + rule.page.with_suffix("").as_posix() + "/"
        for _, rule in rules
        if "greenlet" in " ".join([rule.id, rule.title, rule.imperative, rule.statement]).lower()
    ]
    assert site_url + "async-sqlalchemy/missing-greenlet/" in says_it
    assert 0 < len(says_it) < len(rules)
    await expect(page.locator(".rulebook-index__count")).to_have_text(
        f"{len(says_it)} of {len(rules)} rules match"
    )
    drawn = await rows.evaluate_all(INDEX_ROWS)
    assert [row["href"] for row in drawn if row["shown"]] == says_it
    await snap(page, "rule-index-greenlet")

    await box.fill("")
    await expect(page.locator(".rulebook-index__count")).to_have_text(f"{len(rules)} rules")
    drawn = await rows.evaluate_all(INDEX_ROWS)
    assert all(row["shown"] for row in drawn)
    await context.close()
