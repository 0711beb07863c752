"""The basemap switcher, overlays and limits of a public map in Chromium, by keyboard; and the
editor's basemaps panel writing them into the document.

Tiles are answered locally (tests/browser/fixtures.py); the requests they make say which
basemap and overlay the map shows.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    TIMEOUT,
    hidden_document,
    open_map,
    open_map_editor,
)
from tests.factories import layer, make_map, point, root_page
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

LIMITS = {"south": 47.45, "west": 2.75, "north": 47.55, "east": 2.95}


def belleville() -> Map:
    root_page()  # the flush after a live-server test removes Wagtail's root and its locale
    map_ = make_map("Belleville vue du ciel", layers=[layer("Lieux", point(2.86, 47.5, "Mairie"))])
    options = {
        **map_.options,
        "center": {"lat": 47.5, "lng": 2.86},
        "zoom": 15,
        "basemap_choice": ["ign_orthophotos", "osm"],
        "overlays": [{"id": "cadastre", "opacity": 0.5, "shown": True}],
        "limit_bounds": LIMITS,
    }
    map_.set_document({**map_.document, "options": options})
    map_.save_revision().publish()
    return map_


def overlay_opacity(page) -> str:
    return page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-tile-pane .leaflet-layer')]"
        ".find(l => l.querySelector('img[src*=CADASTRALPARCELS]')).style.opacity"
    )


def test_visitors_switch_basemaps_and_overlays_by_keyboard(
    page, live_server, watch, axe, screenshot
):
    map_ = belleville()
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    assert section.get_attribute("data-umap-basemap") == "plan_ign"
    page.locator("img[src*=CADASTRALPARCELS]").first.wait_for(timeout=TIMEOUT)
    assert overlay_opacity(page) == "0.5"

    toggle = section.locator("button[data-umap-control=basemaps]")
    assert toggle.get_attribute("aria-label") == "Fonds de carte et surcouches"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = section.locator(".umap-basemaps__panel")
    assert panel.is_visible()
    assert panel.locator("legend").all_inner_texts() == ["Fond de carte", "Surcouches"]

    # The radio buttons: Tab into the group, arrows to choose (the map does not pan).
    centre = page.evaluate(f"() => window.wagtailUmap.get('umap-embed-{map_.pk}').map.getCenter()")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.value") == "plan_ign"
    page.keyboard.press("ArrowDown")
    page.locator("img[src*=ORTHOIMAGERY]").first.wait_for(timeout=TIMEOUT)
    assert section.get_attribute("data-umap-basemap") == "ign_orthophotos"
    page.keyboard.press("ArrowDown")
    page.locator("img[src*='tile.openstreetmap.org']").first.wait_for(timeout=TIMEOUT)
    assert section.get_attribute("data-umap-basemap") == "osm"
    assert page.locator("img[src*=ORTHOIMAGERY]").count() == 0  # the old basemap is gone
    assert "OpenStreetMap" in section.locator(".leaflet-control-attribution").inner_text()
    assert centre == page.evaluate(
        f"() => window.wagtailUmap.get('umap-embed-{map_.pk}').map.getCenter()"
    )

    # The overlay: its checkbox, then its opacity slider, named after it.
    slider = panel.get_by_label("Opacité de « Parcelles cadastrales »")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert overlay_opacity(page) == "0.4"
    panel.get_by_label("Parcelles cadastrales", exact=True).uncheck()
    assert page.locator("img[src*=CADASTRALPARCELS]").count() == 0

    assert axe(page) == []
    screenshot(page, "basemap-switcher")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("() => document.activeElement.dataset.umapControl") == "basemaps"
    watch.assert_clean()


def test_the_visitor_cannot_leave_the_limits(page, live_server, watch):
    map_ = belleville()
    open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    centre = page.evaluate(
        """async (id) => {
            const map = window.wagtailUmap.get(id).map;
            map.setView([48.85, 2.35], 15, {animate: false});  // Paris, far outside
            await new Promise((resolve) => setTimeout(resolve, 300));
            return map.getCenter();
        }""",
        f"umap-embed-{map_.pk}",
    )
    assert LIMITS["south"] <= centre["lat"] <= LIMITS["north"]
    assert LIMITS["west"] <= centre["lng"] <= LIMITS["east"]
    watch.assert_clean()


def test_editor_panel_writes_the_choice_overlays_and_limits(
    page, live_server, watch, django_user_model, screenshot
):
    map_ = belleville()
    document = map_.document
    document["options"] = {
        key: value
        for key, value in document["options"].items()
        if key not in ("basemap_choice", "overlays", "limit_bounds")
    }
    map_.set_document(document)
    map_.save_revision()
    open_map_editor(page, live_server, django_user_model, map_)
    map_settings = page.locator(".umap-editor__map-settings")
    if not map_settings.evaluate("node => node.open"):
        map_settings.locator("summary").click()
    panel = page.locator("[data-umap-panel=basemaps]")
    panel.get_by_label("OpenStreetMap", exact=True).check()
    assert hidden_document(page)["options"]["basemap_choice"] == ["osm"]
    panel.get_by_label("Limites administratives", exact=True).check()
    assert hidden_document(page)["options"]["overlays"] == [
        {"id": "admin_limits", "opacity": 0.7, "shown": True}
    ]
    panel.get_by_role("button", name="Limiter la carte à la vue actuelle").click()
    limits = hidden_document(page)["options"]["limit_bounds"]
    assert limits["south"] < 47.5 < limits["north"] and limits["west"] < 2.86 < limits["east"]
    said = panel.locator("[data-umap-limit-bounds]").inner_text()
    assert said.startswith("Les visiteurs restent entre les latitudes")
    # The admin's numbers: decimal commas in French, never a point.
    south = f"{limits['south']:.6f}".rstrip("0").replace(".", ",")
    assert f"latitudes {south} et" in said and "." not in said.rstrip(".")
    panel.evaluate("node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")
    screenshot(page, "editor-basemaps")
    clear = panel.get_by_role("button", name="Supprimer les limites")
    clear.focus()
    page.keyboard.press("Enter")
    assert "limit_bounds" not in hidden_document(page)["options"]
    # One undoable edit each: the toolbar's undo, by keyboard, brings the limits back.
    undo = page.locator(".umap-editor__toolbar button", has_text="↶")
    undo.focus()
    page.keyboard.press("Enter")
    assert hidden_document(page)["options"]["limit_bounds"] == limits
    watch.assert_clean()
