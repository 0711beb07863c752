"""Representations on the public map (Chromium): the right number of shapes per class, the
legend's text, clusters by keyboard, heat, circles, no CSP violation, axe-core clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import TIMEOUT, open_map
from wagtail_umap.core import classify
from wagtail_umap.models import MapPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("viz_demo")]


def layer_features(slug: str) -> list[dict]:
    map_ = MapPage.objects.get(slug=slug).map
    return map_.full_document()["layers"][0]["features"]


def fill_colours(section) -> list[str]:
    return section.locator("path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )


def test_choropleth_draws_each_class_in_its_colour(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/chomage/")
    features = layer_features("chomage")
    rates = [classify.as_number(f["properties"]["taux"]) for f in features]
    bounds = classify.breaks(rates, "jenks", 4)
    colours = classify.ramp("oranges", 4)
    expected = {colour: 0 for colour in colours}
    for rate in rates:
        expected[colours[classify.class_of(rate, bounds)]] += 1
    drawn = fill_colours(section)
    assert len(drawn) == len(features) == 13
    assert {colour: drawn.count(colour) for colour in colours} == expected
    # The legend says the same, as text.
    entries = section.locator("[data-umap-legend] .umap-legend__entry")
    assert entries.count() == 4
    first = entries.nth(0).inner_text()
    assert first.startswith("5,6 – 6,3 %")
    assert f"({expected[colours[0]]} éléments)" in first
    # Beside each feature of the list, its value and class.
    note = section.locator("[data-umap-feature-item]", has_text="Hauts-de-France").locator(
        "[data-umap-feature-note]"
    )
    assert note.inner_text() == "taux : 8,9 % (classe 4 sur 4 : 7,8 – 8,9 %)"
    screenshot(page, "viz-choropleth")
    assert axe(page) == []
    watch.assert_clean()


def test_categorized_lines_differ_by_colour_and_dash(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/routes/")
    features = layer_features("routes")
    lines = section.locator("path.leaflet-interactive")
    assert lines.count() == len(features)
    styles = lines.evaluate_all(
        "ps => ps.map(p => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray') || ''])"
    )
    legend_items = section.locator("[data-umap-legend] .umap-legend__entry")
    categories = {f["properties"]["highway"] for f in features}
    assert legend_items.count() == len(categories)
    # Each category: one colour and dash pair on the map, and its own pair.
    assert len(set(map(tuple, styles))) == len(categories)
    dashed = legend_items.locator("line[stroke-dasharray]")
    assert dashed.count() >= 1  # some categories are told apart by their dash, not only colour
    screenshot(page, "viz-categorized")
    assert axe(page) == []
    watch.assert_clean()


def test_categorized_points_have_shape_and_pictogram(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/fete/")
    markers = section.locator(".umap-marker")
    assert markers.count() == 12
    concerts = section.locator(
        ".umap-marker.umap-marker--pictogram", has=page.locator("text", has_text="♪")
    )
    assert concerts.count() == 4
    shapes = set(
        markers.evaluate_all(
            "ms => ms.map(m => [...m.classList].find(c => /--(pin|circle|square|drop)$/.test(c)))"
        )
    )
    assert len(shapes) == 4
    screenshot(page, "viz-categorized-points")
    assert axe(page) == []
    watch.assert_clean()


def test_proportional_circles(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/velo-cercles/")
    features = layer_features("velo-cercles")
    circles = section.locator("path.leaflet-interactive")
    assert circles.count() == len(features)
    capacities = classify.numbers(f["properties"].get("capacity") for f in features)
    largest = max(capacities)
    # The largest circle is max_radius (36 px): its path's box is 72 px wide (plus the stroke).
    widths = circles.evaluate_all("ps => ps.map(p => p.getBBox().width)")
    assert max(widths) == pytest.approx(72, abs=1)
    legend = section.locator("[data-umap-legend] .umap-legend__entry")
    # In French, 1160 is written "1 160" (a no-break space groups the thousands).
    label = legend.nth(0).inner_text().strip().replace("\u202f", " ").replace("\xa0", " ")
    assert label == f"{int(largest):,} places".replace(",", " ")
    screenshot(page, "viz-circles")
    assert axe(page) == []
    watch.assert_clean()


def test_heat_map_draws_on_a_canvas(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/velo-chaleur/")
    canvas = section.locator("canvas.leaflet-heatmap-layer")
    canvas.wait_for(timeout=TIMEOUT)
    # Some pixels are coloured (the canvas is not blank).
    painted = canvas.evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"
    )
    assert painted > 100
    assert section.locator(".umap-marker").count() == 0
    screenshot(page, "viz-heat")
    assert axe(page) == []
    watch.assert_clean()


def test_clusters_count_name_and_expand_by_keyboard(page, watch, live_server, axe, screenshot):
    section = open_map(page, live_server.url + "/velo-groupes/")
    clusters = section.locator("[data-umap-cluster]")
    clusters.first.wait_for(timeout=TIMEOUT)
    total = len(layer_features("velo-groupes"))

    def shown():
        counts = clusters.evaluate_all("cs => cs.map(c => +c.getAttribute('data-umap-cluster'))")
        return sum(counts) + section.locator(".umap-marker").count()

    assert shown() == total
    first = clusters.first
    count = int(first.get_attribute("data-umap-cluster"))
    # Its count and where it is on the map (RGAA 4.1): "12 lieux, nord-est de la carte".
    assert re.fullmatch(
        rf"{count} lieux, ((nord|sud)(-est|-ouest)?|est|ouest|centre) de la carte",
        first.get_attribute("aria-label"),
    )
    assert first.get_attribute("role") == "button"
    screenshot(page, "viz-clusters")
    section_id = section.get_attribute("id")
    zoom = page.evaluate("id => wagtailUmap.get(id).map.getZoom()", section_id)
    # Count the worker's redraws: axe must look at the clusters of the new zoom, not at the old
    # and new ones overlapping mid-redraw.
    page.evaluate(
        """id => {
            window.redraws = 0;
            const section = document.getElementById(id);
            section.addEventListener('umap:clustered', () => window.redraws++);
        }""",
        section_id,
    )
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([id, z]) => wagtailUmap.get(id).map.getZoom() > z && window.redraws > 0",
        arg=[section_id, zoom],
        timeout=TIMEOUT,
    )
    assert axe(page) == []
    watch.assert_clean()


def test_min_zoom_hides_the_layer(page, watch, live_server):
    # The festival map's layer gets a minimum zoom above the map's view: nothing drawn.
    map_ = MapPage.objects.get(slug="fete").map
    document = map_.full_document()
    document["layers"][0]["min_zoom"] = 18
    map_.set_document(document)
    map_.save()
    map_.save_revision().publish()
    section = open_map(page, live_server.url + "/fete/")
    assert section.locator(".umap-marker").count() == 0
    section_id = section.get_attribute("id")
    page.evaluate("id => wagtailUmap.get(id).map.setZoom(18, {animate: false})", section_id)
    section.locator(".umap-marker").first.wait_for(timeout=TIMEOUT)
    watch.assert_clean()


def test_legend_follows_the_layer_switcher(page, watch, live_server):
    from tests.factories import layer, make_map, point

    values = [point(2.30 + i / 50, 48.80, f"P{i}", valeur=i) for i in range(6)]
    map_ = make_map(
        "Deux calques",
        layers=[
            layer(
                "Valeurs",
                *values,
                representation={"type": "circles", "field": "valeur", "unit": "t"},
            ),
            layer("Autres", point(2.31, 48.81, "Autre")),
        ],
    )
    home = MapPage.objects.first().get_parent()
    map_page = home.add_child(instance=MapPage(title="Deux", slug="deux", intro="", map=map_))
    map_page.save_revision().publish()
    section = open_map(page, live_server.url + "/deux/")
    legend = section.locator("[data-umap-legend]")
    assert legend.is_visible()
    assert legend.locator(".umap-legend__entry").first.inner_text().strip() == "5 t"
    section.locator(".leaflet-control-layers-selector").first.uncheck()
    assert legend.is_hidden()
    section.locator(".leaflet-control-layers-selector").first.check()
    assert legend.is_visible()
    watch.assert_clean()
