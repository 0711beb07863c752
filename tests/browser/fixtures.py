"""The browser fixtures: Playwright driving Debian's Chromium against the live server.

No request may leave the machine: tile requests to the basemap's host are answered with a
blank local tile (and counted), anything else outside localhost fails the test.

``tests/conftest.py`` imports these fixtures once for the whole suite: tests/browser,
tests/security and tests/dsfr share one Chromium (two sync Playwright sessions cannot run in one
thread).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A 1×1 transparent PNG, stretched to a tile by Leaflet.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
TILE_HOSTS = {"data.geopf.fr", "tile.openstreetmap.org"}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Screenshots go to a temporary folder, or to SCREENSHOT_DIR when set: `scripts/screenshots`
# sets it to docs/screenshots to refresh the pictures the docs show.
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a test must look at: errors, CSP violations, outside requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.tile_requests: list[str] = []
        self.outside_requests: list[str] = []

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.csp_violations == []
        assert self.outside_requests == []


@pytest.fixture
def watch():
    return PageWatch()


@pytest.fixture
def page(django_db_setup, browser, watch, live_server):
    # The test database first: a live server started before it would share the in-memory
    # SQLite connection between its request threads (and crash).
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route_request(route, watch))
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    # A plain function: Playwright tags the callback, which a builtin method cannot carry.
    page.expose_function("reportViolation", lambda text: watch.csp_violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield page
    context.close()


def route_request(route, watch: PageWatch) -> None:
    host = urlsplit(route.request.url).hostname or ""
    if host in ("localhost", "127.0.0.1"):
        route.continue_()
    elif host in TILE_HOSTS or host.endswith(".tile.openstreetmap.fr"):
        watch.tile_requests.append(route.request.url)
        # As the Géoplateforme does: the viewer fetches its tiles in CORS mode (print.js).
        route.fulfill(
            status=200,
            content_type="image/png",
            body=BLANK_TILE,
            headers={"Access-Control-Allow-Origin": "*"},
        )
    else:
        watch.outside_requests.append(route.request.url)
        route.abort()


# axe measures a target's free space where the page is scrolled, so a button that the test's
# last scroll left half under Wagtail's sticky header "fails" target-size, covered by the
# header's breadcrumb link (it did in CI: the editor's toolbar, scrolled up while a place's
# photo was chosen). Each such target is judged again scrolled into the middle of the view,
# and the page's scroll put back.
AXE_RUN = """async (selector) => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  const context = document.querySelector(selector);
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}});
  const inView = async (node) => {
    const element = node.target.length === 1 && document.querySelector(node.target[0]);
    if (!element) return false;
    const scrolled = [...document.querySelectorAll('*'), document.scrollingElement]
      .filter((e) => e.scrollTop || e.scrollLeft).map((e) => [e, e.scrollTop, e.scrollLeft]);
    element.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const again = await axe.run(element, {runOnly: {type: 'rule', values: ['target-size']}});
    for (const [e, top, left] of scrolled) e.scrollTo({top, left, behavior: 'instant'});
    return again.violations.length === 0;
  };
  for (const violation of result.violations.filter((v) => v.id === 'target-size')) {
    const kept = [];
    for (const node of violation.nodes) if (!(await inView(node))) kept.push(node);
    violation.nodes = kept;
  }
  return result.violations.filter((v) => v.nodes.length);
}"""


@pytest.fixture
def axe():
    """Run axe-core in the page and return its violations (rule id and nodes)."""

    def run(page, selector: str = "body") -> list[dict]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern
        # (an injected <script> would be refused by script-src 'self').
        page.evaluate(AXE.read_text())
        return [
            {
                "id": v["id"],
                "help": v["help"],
                # With axe's reason: which neighbour covers a target, which colours clash.
                "nodes": [
                    f"{n['html'][:200]} {n.get('failureSummary', '')[:300]}" for n in v["nodes"]
                ],
            }
            for v in page.evaluate(AXE_RUN, selector)
        ]

    return run


@pytest.fixture
def screenshot(tmp_path_factory):
    folder = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path_factory.mktemp("screenshots")

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


@pytest.fixture
def viz_demo(transactional_db, live_server):
    """The live server, with the demo's data-visualisation pages published (/chomage/,
    /routes/, /velo-chaleur/, /velo-groupes/, /velo-cercles/, /fete/ and /patrimoine/), built
    by the same code as ``load_demo`` without the rest of the demo."""
    from example_site.home.demo import add_viz_pages
    from example_site.home.management.commands.load_demo import Command
    from tests.factories import make_home

    home = make_home("accueil")
    add_viz_pages(home, Command().publish_map)
    return live_server
