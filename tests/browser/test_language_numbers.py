"""RGAA 8.7 in Chromium, keyboard only: a layer whose data is in English, on a French page,
says so with lang="en" on its popup, its marker and its list items; numbers are written as
French writes them ("12 345,6") in the popup and the list alike."""

from __future__ import annotations

import pytest

from example_site.home.models import StandardPage
from tests.browser.helpers import TIMEOUT, open_map
from tests.factories import layer, make_home, make_map, point

pytestmark = pytest.mark.django_db(transaction=True)


def spaces(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def roads_page(transactional_db, live_server):
    home = make_home("accueil")  # first: it makes the locale a map needs (flushed between tests)
    roads = layer(
        "Roads",
        point(2.35, 48.85, "Main street", highway="secondary", length=12345.6, lanes=2),
        language="en",
        popup_layout="table",
    )
    streets = layer("Rues", point(2.36, 48.86, "Grande rue", longueur=2500))
    map_ = make_map("Voirie", layers=[roads, streets])
    page = home.add_child(
        instance=StandardPage(
            title="Voirie",
            slug="voirie",
            body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": ""}}],
        )
    )
    page.save_revision().publish()
    return live_server.url + page.url


def test_english_data_on_a_french_page_carries_lang_and_french_numbers(page, watch, roads_page):
    section = open_map(page, roads_page, "Voirie")
    assert page.evaluate("document.documentElement.lang").startswith("fr")
    item = section.locator("[data-umap-feature-item]").first
    assert item.locator(".umap-viewer__feature-name").get_attribute("lang") == "en"
    assert item.locator("dl").get_attribute("lang") == "en"
    assert "12 345,6" in spaces(item.inner_text())
    # The marker's accessible name is English too.
    marker = section.locator(".umap-marker[aria-label='Main street']")
    assert marker.get_attribute("lang") == "en"

    # The popup, opened from the list with the keyboard.
    button = item.locator("button[data-umap-feature]")
    button.focus()
    page.keyboard.press("Enter")
    popup = section.locator(".umap-popup")
    popup.wait_for(timeout=TIMEOUT)
    assert popup.locator(".umap-popup__title").get_attribute("lang") == "en"
    assert popup.locator(".umap-popup__body").get_attribute("lang") == "en"
    cells = popup.locator("td").all_inner_texts()
    assert "12 345,6" in [spaces(cell) for cell in cells]
    assert "secondary" in cells
    # The popup's own words stay French (the page's language).
    assert popup.locator(".umap-popup__list-link").get_attribute("lang") is None
    page.keyboard.press("Escape")

    # A layer in the page's language carries no lang of its own.
    french = section.locator("[data-umap-feature-item]").nth(1)
    assert french.locator(".umap-viewer__feature-name").get_attribute("lang") is None
    watch.assert_clean()
