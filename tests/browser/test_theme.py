"""The DSFR theme's own script (js/viewer/theme.js) in Chromium, without django-dsfr: the list's
accordions by keyboard (the focus stays on their button), a closed layer opened again by the
popup's "Voir dans la liste", the classes added to what the viewer builds. The look itself, with
DSFR's CSS and a Sites Conformes page, is tests/dsfr's (scripts/test-dsfr)."""

from __future__ import annotations

import pytest

from example_site.home.models import StandardPage
from tests.browser.helpers import TIMEOUT, open_map
from tests.factories import layer, make_home, make_map, point, square

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Écoles et parcs"


@pytest.fixture
def themed(settings, transactional_db, live_server):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "THEME": "dsfr"}
    # The home page first: it makes the default locale, which a live-server test's flush removed.
    home = make_home("accueil")
    map_ = make_map(
        TITLE,
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A"), point(2.36, 48.86, "École B")),
            layer("Parcs", square(2.34, 48.84, "Parc C")),
        ],
    )
    page = home.add_child(
        instance=StandardPage(title="Carte", slug="carte", body=[("map", {"map": map_})])
    )
    page.save_revision().publish()
    return f"{live_server.url}/carte/"


def focused_class(page) -> str:
    return page.evaluate("() => String(document.activeElement.className)")


def test_accordions_by_keyboard_and_the_list_link(page, watch, themed):
    section = open_map(page, themed, TITLE)
    first = section.locator("button[data-umap-accordion]").first
    panel = section.locator(f"#{first.get_attribute('aria-controls')}")
    assert first.get_attribute("aria-expanded") == "true" and panel.is_visible()

    first.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "false" and panel.is_hidden()
    assert focused_class(page) == "fr-accordion__btn"
    page.keyboard.press("Space")
    assert first.get_attribute("aria-expanded") == "true" and panel.is_visible()
    assert focused_class(page) == "fr-accordion__btn"

    # "Voir sur la carte" → popup (focus in it) → Escape → focus back on the button.
    locate = panel.locator("button[data-umap-feature]").first
    locate.focus()
    page.keyboard.press("Enter")
    popup = section.locator(".leaflet-popup .umap-popup")
    popup.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.activeElement.classList.contains('umap-popup__title')")
    # The theme's script classed what the viewer built.
    assert "fr-link" in popup.locator(".umap-popup__list-link").get_attribute("class")
    page.keyboard.press("Escape")
    popup.wait_for(state="detached", timeout=TIMEOUT)
    assert locate.evaluate("b => b === document.activeElement")

    # With its layer closed, the popup's "Voir dans la liste" opens it and focuses the feature.
    first.click()
    assert panel.is_hidden()
    key = locate.get_attribute("data-umap-feature")
    page.evaluate(f"() => wagtailUmap.get('{section.get_attribute('id')}').showFeature('{key}')")
    popup.wait_for(timeout=TIMEOUT)
    popup.locator(".umap-popup__list-link").click()
    assert panel.is_visible() and first.get_attribute("aria-expanded") == "true"
    page.wait_for_function(
        "(k) => document.activeElement.getAttribute('data-umap-feature-item') === k", arg=key
    )
    watch.assert_clean()
