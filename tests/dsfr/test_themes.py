"""The same map in both themes, on its embed page (a page wagtail-umap draws whole): each passes
axe with a popup open, and the two screenshots go side by side in docs/screenshots
(``SCREENSHOT_DIR=docs/screenshots ./scripts/test-dsfr``)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import TIMEOUT, open_map, wait_for_opaque_popup

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Où nous rencontrer"


@pytest.fixture
def map_id(live_server):
    from example_dsfr.pages.demo import build_demo

    build_demo(port=int(live_server.url.rsplit(":", 1)[1]))
    from wagtail_umap.models import Map

    return Map.objects.get(title=TITLE).pk


def show_first_feature(page, section) -> None:
    """Press "Voir sur la carte" of the first feature: its popup opens with the focus inside."""
    section.locator("button[data-umap-feature]").first.focus()
    page.keyboard.press("Enter")
    section.locator(".leaflet-popup .umap-popup").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.activeElement.classList.contains('umap-popup__title')")
    wait_for_opaque_popup(page)


def test_both_themes_side_by_side(page, watch, axe, screenshot, settings, map_id, live_server):
    page.set_viewport_size({"width": 760, "height": 1500})
    shots = {}
    for theme in ("default", "dsfr"):
        settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "THEME": theme}
        section = open_map(page, f"{live_server.url}/cartes/{map_id}/embed/", TITLE)
        assert ("umap-viewer--dsfr" in section.get_attribute("class")) == (theme == "dsfr")
        show_first_feature(page, section)
        assert axe(page) == [], theme
        page.evaluate("() => window.scrollTo(0, 0)")
        shots[theme] = screenshot(page, f"theme-{theme}")
    watch.assert_clean()

    from PIL import Image

    left, right = (Image.open(shots[name]) for name in ("default", "dsfr"))
    gap = 16
    size = (left.width + gap + right.width, max(left.height, right.height))
    both = Image.new("RGB", size, "white")
    both.paste(left, (0, 0))
    both.paste(right, (left.width + gap, 0))
    both.save(shots["dsfr"].with_name("themes-side-by-side.png"))


def test_sites_conformes_page_screenshot(page, screenshot, live_server):
    from example_dsfr.pages.demo import build_demo

    port = int(live_server.url.rsplit(":", 1)[1])
    build_demo(port=port)
    page.set_viewport_size({"width": 1280, "height": 1700})
    open_map(page, f"http://localhost:{port}/", TITLE)
    screenshot(page, "sites-conformes-page")
