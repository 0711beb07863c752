"""Large layers in Chromium: clustered points with no marker per feature, tiled polygons on
canvas, a failing layer announced while the others work, and the paginated, searchable
feature list driven by the keyboard. Data is generated here, in the test's process."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import click_map_at, open_map
from tests.browser.test_public_map import standard_page
from tests.factories import layer, make_map, point, square

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 20_000


def grid_points(count: int, prefix: str = "Borne") -> list[dict]:
    # Spread over about 2° × 1.4°: a national-like layer at a regional zoom.
    return [
        point(1.5 + (i % 200) / 100, 46.5 + (i // 200) / 70, f"{prefix} {i + 1}")
        for i in range(count)
    ]


def layer_render(page, section, position: int = 0) -> str:
    config_id = section.get_attribute("data-umap-config")
    return page.evaluate(
        "([id, i]) => JSON.parse(document.getElementById(id).textContent).layers[i].render",
        [config_id, position],
    )


def test_twenty_thousand_points_are_clustered_without_a_marker_per_point(
    live_home, page, watch, live_server, screenshot
):
    map_ = make_map("Bornes", layers=[layer("Bornes", *grid_points(20_000))])
    standard_page(live_home, "Bornes", "bornes", map_)
    section = open_map(page, live_server.url + "/bornes/", "Bornes", timeout=TIMEOUT)
    assert layer_render(page, section) == "cluster"
    clusters = section.locator("[data-umap-cluster]")
    assert clusters.count() > 0
    # Fewer DOM markers than a few hundred: clusters plus a few single points at most.
    assert section.locator(".leaflet-marker-icon").count() < 300
    total = sum(
        int(clusters.nth(i).get_attribute("data-umap-cluster")) for i in range(clusters.count())
    )
    assert total > 15_000  # nearly every point is in a cluster in view
    # The status region says how many features the map shows.
    assert re.search(
        r"20\s?000 éléments affichés", section.locator("[data-umap-status]").inner_text()
    )
    # A cluster is a keyboard button that zooms in.
    zoom = page.evaluate(f"() => wagtailUmap.get('{section.get_attribute('id')}').map.getZoom()")
    first = clusters.first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => wagtailUmap.get('{section.get_attribute('id')}').map.getZoom() > {zoom}",
        timeout=TIMEOUT,
    )
    screenshot(page, "large-clusters")
    watch.assert_clean()


def test_a_large_polygon_layer_is_drawn_in_canvas_tiles(
    live_home, page, watch, live_server, settings, screenshot
):
    # From its data URL: the bytes go to the tiling worker, parsed there.
    settings.WAGTAIL_UMAP = {
        **getattr(settings, "WAGTAIL_UMAP", {}),
        "TILE_MIN_VERTICES": 100,
        "INLINE_LAYER_MAX_BYTES": 10,
    }
    zones = [
        square(2 + (i % 10) * 0.03, 47 + (i // 10) * 0.03, f"Zone {i + 1}", 0.02) for i in range(60)
    ]
    map_ = make_map("Zones", layers=[layer("Zones", *zones)])
    standard_page(live_home, "Zones", "zones", map_)
    section = open_map(page, live_server.url + "/zones/", "Zones", timeout=TIMEOUT)
    assert layer_render(page, section) == "tiles"
    assert section.locator("canvas.umap-data-tile").count() > 0
    assert section.locator("path.leaflet-interactive").count() == 0  # no SVG path per polygon
    # Something is drawn: a tile canvas holds non-transparent pixels.
    painted = page.evaluate(
        """() => [...document.querySelectorAll('canvas.umap-data-tile')].some(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4) { if (data[i]) return true; }
            return false; })"""
    )
    assert painted
    # A click on a polygon finds it in its tile and opens its popup.
    dom_id = section.get_attribute("id")
    click_map_at(page, dom_id, 47.01, 2.01)
    title = section.locator(".umap-popup__title")
    title.wait_for(timeout=TIMEOUT)
    assert title.inner_text() == "Zone 1"
    screenshot(page, "large-tiles")
    # "Voir sur la carte" in the list works too: the feature is parsed on first use.
    page.keyboard.press("Escape")
    button = section.locator('[data-umap-feature-item$=":1"]').get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    section.locator(".umap-popup__title", has_text="Zone 2").wait_for(timeout=TIMEOUT)
    watch.assert_clean()


def test_a_failing_layer_is_announced_and_the_others_still_work(
    live_home, page, watch, live_server, settings
):
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map(
        "Deux calques",
        layers=[
            layer("Écoles", *grid_points(5, "École")),
            layer("Gymnases", *grid_points(3, "Gymnase")),
        ],
    )
    standard_page(live_home, "Deux calques", "deux-calques", map_)
    broken = map_.layers[1]["data"]["digest"]
    page.route(f"**/{broken}.geojson", lambda route: route.fulfill(status=500, body="erreur"))
    section = open_map(page, live_server.url + "/deux-calques/", "Deux calques", timeout=TIMEOUT)
    status = section.locator("[data-umap-status]").inner_text()
    assert "Le calque « Gymnases » n’a pas pu être chargé." in status
    assert "5 éléments affichés" in status
    assert section.locator(".umap-marker").count() == 5
    watch.console_errors = [e for e in watch.console_errors if "500" not in e]
    watch.assert_clean()


def test_the_feature_list_pages_and_searches_with_the_keyboard(
    live_home, page, watch, live_server, settings, axe
):
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Bornes", layers=[layer("Bornes", *grid_points(120))])
    standard_page(live_home, "Liste", "liste", map_)
    section = open_map(page, live_server.url + "/liste/", "Bornes", timeout=TIMEOUT)
    items = section.locator("[data-umap-feature-item]")
    assert items.count() == 50
    assert "Page 1 sur 3" in section.inner_text()

    # Next page, from the keyboard.
    section.get_by_role("link", name="Page suivante").focus()
    page.keyboard.press("Enter")
    summary = section.locator(".umap-viewer__list-summary")
    page.wait_for_function(
        "() => document.querySelector('.umap-viewer__list-summary')"
        ".textContent.includes('51 à 100')",
        timeout=TIMEOUT,
    )
    assert page.evaluate(
        "() => document.activeElement.classList.contains('umap-viewer__list-summary')"
    )
    assert items.count() == 50 and items.first.inner_text().startswith("Borne 51")
    assert (
        "Éléments 51 à 100 sur 120 affichés." in section.locator("[data-umap-status]").inner_text()
    )
    # The new page's "Voir sur la carte" buttons work.
    button = items.first.get_by_role("button")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    section.locator(".umap-popup__title", has_text="Borne 51").wait_for(timeout=TIMEOUT)
    page.keyboard.press("Escape")

    # Search, from the keyboard.
    search = section.get_by_label("Rechercher par nom ou description")
    search.focus()
    page.keyboard.type("borne 11")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.umap-viewer__list-summary')"
        ".textContent.includes('11 éléments')",
        timeout=TIMEOUT,
    )
    assert items.count() == 11
    assert "11 éléments correspondent à « borne 11 »." in summary.inner_text()
    assert axe(page, f"#{section.get_attribute('id')}-list") == []
    watch.assert_clean()


def test_without_javascript_the_list_pages_are_links(live_home, browser, live_server, settings):
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Bornes", layers=[layer("Bornes", *grid_points(120))])
    standard_page(live_home, "Liste", "liste", map_)
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/liste/")
        page.get_by_role("link", name="Page suivante").click()
        assert "Page 2 sur 3" in page.inner_text("body")
        assert page.locator("[data-umap-feature-item]").first.inner_text().startswith("Borne 51")
    finally:
        context.close()


def test_a_large_layers_popup_shows_its_umap_markup_rendered_by_the_server(
    live_home, page, watch, live_server, settings
):
    """A layer loaded from its data URL: its popup asks the server for the rendering of its
    uMap markup (core.markup's allowlist) and shows it; a value stays text."""
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "INLINE_LAYER_MAX_BYTES": 10}
    features = [
        point(1.5 + i / 100, 46.5, "", nom=f"Salle {i + 1}", statut="<b>ouverte</b>")
        for i in range(60)
    ]
    template = "# {nom}\n**Statut** : {statut}\n[[https://salles.example.fr|Réserver]]"
    map_ = make_map(
        "Salles",
        layers=[layer("Salles", *features, popup_template=template, label_key="nom")],
    )
    standard_page(live_home, "Salles", "salles", map_)
    section = open_map(page, live_server.url + "/salles/", "Salles", timeout=TIMEOUT)
    item = section.locator("[data-umap-feature-item]").first
    assert item.inner_text().startswith("Salle 1")  # named by label_key in the list
    assert item.locator("strong", has_text="Statut").count() == 1  # rendered in the list too
    with page.expect_response(re.compile(r"/popups/0\.json$")):
        item.get_by_role("button").press("Enter")
    popup = section.locator(".umap-popup")
    popup.locator("strong", has_text="Statut").wait_for(timeout=TIMEOUT)
    assert popup.locator(".umap-popup__title").inner_text() == "Salle 1"
    assert popup.locator('a[href="https://salles.example.fr"]').inner_text() == "Réserver"
    assert "<b>ouverte</b>" in popup.inner_text()  # the value's HTML shown as text
    assert popup.locator("b").count() == 0
    watch.assert_clean()
