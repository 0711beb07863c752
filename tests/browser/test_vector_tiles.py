"""A map whose large layers have their vector tiles built (models/vector_tiles.py), in
Chromium: the viewer reads the archives with range requests and never downloads the layers
whole; a polygon's click opens its popup with its name (the feature fetched on demand), a
cluster is reached with Tab and opens with Enter, and axe finds nothing."""

from __future__ import annotations

import pytest

from tests.browser.helpers import click_map_at, open_map
from tests.browser.test_public_map import standard_page
from tests.factories import layer, make_home, make_map, point, square
from wagtail_umap.models import LayerData, VectorTiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30_000


@pytest.fixture
def home(transactional_db, live_server):
    return make_home()


@pytest.fixture
def small_thresholds(settings):
    # A few thousand features, above these thresholds: quick to build, drawn as large layers.
    settings.WAGTAIL_UMAP = {
        **getattr(settings, "WAGTAIL_UMAP", {}),
        "CLUSTER_MIN_POINTS": 500,
        "TILE_MIN_VERTICES": 5_000,
        "INLINE_LAYER_MAX_BYTES": 10,
    }


def parcels(count: int) -> list[dict]:
    # 60 × 50 small squares over about 3° × 2°: a regional polygon layer.
    return [
        square(1.0 + (i % 60) * 0.05, 46.0 + (i // 60) * 0.04, f"Parcelle {i + 1}", 0.03)
        for i in range(count)
    ]


def stops(count: int) -> list[dict]:
    return [
        # East of the parcels, so that no cluster covers the polygon the test clicks.
        point(4.5 + (i % 50) * 0.06, 46.01 + (i // 50) * 0.05, f"Arrêt {i + 1}")
        for i in range(count)
    ]


def test_tiled_layers_are_read_from_their_archives(
    home, small_thresholds, page, watch, live_server, axe, screenshot
):
    map_ = make_map(
        "Parcelles",
        layers=[layer("Parcelles", *parcels(3000)), layer("Arrêts", *stops(2000))],
    )
    digests = [item["data"]["digest"] for item in map_.layers]
    # The build ran when the layers were stored (the immediate task backend, once committed).
    archives = VectorTiles.objects.filter(layer_data_id__in=digests, state=VectorTiles.READY)
    assert archives.count() == 2
    sizes = dict(LayerData.objects.filter(digest__in=digests).values_list("digest", "size"))
    standard_page(home, "Parcelles", "parcelles", map_)

    transferred = {"pmtiles": 0, "geojson": 0}
    whole_layers = []

    def count(response):
        url = response.url
        if url.endswith(".pmtiles"):
            transferred["pmtiles"] += len(response.body())
        elif "/cartes/data/" in url and url.endswith(".geojson"):
            whole_layers.append(url)

    page.on("response", count)
    section = open_map(page, live_server.url + "/parcelles/", "Parcelles", timeout=TIMEOUT)
    dom_id = section.get_attribute("id")
    # Drawn from the tiles: canvas tiles for the polygons, clusters for the points.
    page.wait_for_function(
        "() => document.querySelectorAll('canvas.umap-data-tile').length > 0", timeout=TIMEOUT
    )
    section.locator("[data-umap-cluster]").first.wait_for(timeout=TIMEOUT)
    assert whole_layers == []  # neither layer was downloaded whole
    total = sum(sizes.values())
    # Only a fraction of the layers' bytes came: the tiles in view and the archives' headers.
    assert 0 < transferred["pmtiles"] < total / 4, (transferred, total)

    # A click on a polygon: found in its tile, the feature fetched, its popup with its name.
    click_map_at(page, dom_id, 46.015, 1.015)
    title = section.locator(".umap-popup__title")
    title.wait_for(timeout=TIMEOUT)
    assert title.inner_text() == "Parcelle 1"
    page.keyboard.press("Escape")

    # The status region counts every feature of both layers.
    page.wait_for_function(
        f"""() => /5\\s?000 éléments affichés/.test(
            document.querySelector('#{dom_id} [data-umap-status]').textContent)""",
        timeout=TIMEOUT,
    )
    # The map with its canvas tiles, clusters and markers (two paginated lists on one map give
    # their pagers the same landmark name: a matter of the list, not of the tiles).
    assert axe(page, f"#{dom_id} .leaflet-container") == []

    # A cluster is reached with Tab and zooms in with Enter.
    zoom = page.evaluate(f"() => wagtailUmap.get('{dom_id}').map.getZoom()")
    section.locator(".leaflet-container").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-umap-cluster')"):
            break
    else:
        pytest.fail("no cluster reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => wagtailUmap.get('{dom_id}').map.getZoom() > {zoom}", timeout=TIMEOUT
    )
    screenshot(page, "vector-tiles")
    watch.assert_clean()
