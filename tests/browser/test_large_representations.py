"""A choropleth on a layer loaded from its data URL (Chromium): each polygon in its class's
colour, whatever the large-layer drawing (canvas or tiles), and the legend the server computed
from the stored data."""

from __future__ import annotations

import pytest

from tests.browser.helpers import open_map
from tests.browser.test_large_layers import TIMEOUT, layer_render
from tests.browser.test_public_map import standard_page
from tests.factories import layer, make_home, make_map, square
from wagtail_umap.core import classify

pytestmark = pytest.mark.django_db(transaction=True)

CHOROPLETH = {"type": "choropleth", "field": "taux", "method": "quantiles", "classes": 3}

# The fill colour of every polygon the viewer drew as a Leaflet path (none if drawn in tiles).
DRAWN_FILLS = """(id) => {
    const fills = [];
    wagtailUmap.get(id).map.eachLayer((item) => {
        if (item instanceof L.Polygon) { fills.push(item.options.fillColor); }
    });
    return fills;
}"""


def zones(count: int) -> list[dict]:
    features = []
    for i in range(count):
        feature = square(2 + (i % 60) * 0.02, 47 + (i // 60) * 0.02, f"Zone {i + 1}", 0.015)
        feature["properties"]["taux"] = (i * 7) % 23
        features.append(feature)
    return features


def expected_fills(features: list[dict]) -> dict[str, int]:
    rates = [f["properties"]["taux"] for f in features]
    bounds = classify.breaks(rates, "quantiles", 3)
    colours = classify.ramp(classify.DEFAULT_SCHEME, 3)
    counts = dict.fromkeys(colours, 0)
    for rate in rates:
        counts[colours[classify.class_of(rate, bounds)]] += 1
    return counts


@pytest.mark.parametrize(
    ("count", "tile_min_vertices", "render"), [(3000, 200_000, "canvas"), (60, 100, "tiles")]
)
def test_a_data_url_choropleth_draws_its_classes_and_legend(
    transactional_db,
    live_server,
    page,
    watch,
    settings,
    screenshot,
    count,
    tile_min_vertices,
    render,
):
    # The layer from its data URL (a tiled choropleth read from its vector tiles has its own
    # test: test_vector_tiles.py).
    settings.WAGTAIL_UMAP = {
        "INLINE_LAYER_MAX_BYTES": 10,
        "TILE_MIN_VERTICES": tile_min_vertices,
        "VECTOR_TILES": False,
    }
    home = make_home()  # first: it puts back the locale the flush after a live test removes
    features = zones(count)
    map_ = make_map("Taux", layers=[layer("Taux", *features, representation=CHOROPLETH)])
    standard_page(home, "Taux", "taux", map_)
    section = open_map(page, live_server.url + "/taux/", "Taux", timeout=TIMEOUT)
    assert layer_render(page, section) == render
    config_layer = page.evaluate(
        "(id) => JSON.parse(document.getElementById(id).textContent).layers[0]",
        section.get_attribute("data-umap-config"),
    )
    assert config_layer["dataUrl"] and config_layer["data"] is None
    classes = config_layer["representation"]["classes"]
    assert len(classes) == 3

    fills = page.evaluate(DRAWN_FILLS, section.get_attribute("id"))
    expected = expected_fills(features)
    assert len(fills) == count
    assert {colour: fills.count(colour) for colour in expected} == expected
    # The legend, as text: each class's bounds and its number of polygons.
    entries = section.locator("[data-umap-legend] .umap-legend__entry")
    assert entries.count() == 3
    for position, entry in enumerate(classes):
        text = entries.nth(position).inner_text()
        assert text.startswith(entry["label"])
        assert f"({expected[entry['colour']]} éléments)" in text
    screenshot(page, f"large-choropleth-{render}")
    watch.assert_clean()
