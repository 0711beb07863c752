"""A map whose large layers have their vector tiles built (models/vector_tiles.py), in
Chromium: the viewer reads the archives with range requests and never downloads the layers
whole; a polygon's click opens its popup with its name (the feature fetched on demand), a
cluster is reached with Tab and opens with Enter, and axe finds nothing."""

from __future__ import annotations

import pytest

from tests.browser.helpers import click_map_at, open_map
from tests.browser.test_public_map import standard_page
from tests.factories import layer, make_map, point, square
from wagtail_umap.models import LayerData, VectorTiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30_000


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
    live_home, tile_thresholds, page, watch, live_server, axe, screenshot
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
    standard_page(live_home, "Parcelles", "parcelles", map_)

    transferred = {"pmtiles": 0, "geojson": 0}
    whole_layers = []

    def count(response):
        url = response.url.split("?")[0]  # the archive's URL holds its edition (?v=)
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
    # The map with its canvas tiles, clusters and markers, and its two paginated lists (their
    # search and pager landmarks named after their layers).
    assert axe(page, f"#{dom_id}") == []

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


# --- tiled layers styled by their properties (a choropleth, categories) ---------------------

CHOROPLETH = {"type": "choropleth", "field": "taux", "method": "quantiles", "classes": 3}
CATEGORIES = {"type": "categorized", "field": "operateur"}
OPERATORS = ("Izivia", "Freshmile", "Allego")

# The RGBA of the data tiles' canvas at each [lat, lng] in view, as drawn (not the basemap).
CANVAS_PIXELS = """([id, places]) => {
    const map = wagtailUmap.get(id).map;
    const box = map.getContainer().getBoundingClientRect();
    const canvases = [...document.querySelectorAll('#' + id + ' canvas.umap-data-tile')];
    return places.map(([lat, lng]) => {
        if (!map.getBounds().pad(-0.05).contains([lat, lng])) { return null; }
        const p = map.latLngToContainerPoint([lat, lng]);
        const x = box.left + p.x, y = box.top + p.y;
        const canvas = canvases.find((c) => {
            const r = c.getBoundingClientRect();
            return x >= r.left && x < r.right && y >= r.top && y < r.bottom;
        });
        if (!canvas) { return null; }
        const r = canvas.getBoundingClientRect();
        const cx = Math.floor((x - r.left) * canvas.width / r.width);
        const cy = Math.floor((y - r.top) * canvas.height / r.height);
        return [...canvas.getContext('2d').getImageData(cx, cy, 1, 1).data];
    });
}"""

# Whether every data tile of the viewer is drawn.
TILES_DRAWN = """(id) => {
    const tiles = [...document.querySelectorAll('#' + id + ' canvas.umap-data-tile')];
    return tiles.length > 0 && tiles.every((t) => t.classList.contains('leaflet-tile-loaded'));
}"""

# The fill of every category marker drawn, by its feature key.
MARKER_FILLS = """(id) => Object.fromEntries(
    [...document.querySelectorAll('#' + id + ' .umap-marker[data-umap-feature]')].map((m) => [
        m.getAttribute('data-umap-feature'),
        m.querySelector('svg [fill]') && m.querySelector('svg [fill]').getAttribute('fill'),
    ]))"""


def rates(count: int) -> list[dict]:
    features = parcels(count)
    for i, feature in enumerate(features):
        feature["properties"]["taux"] = (i * 7) % 23
    return features


def operated(count: int) -> list[dict]:
    features = stops(count)
    for i, feature in enumerate(features):
        feature["properties"]["operateur"] = OPERATORS[i % 3]
    return features


def centres(squares: list[dict]) -> list[list[float]]:
    """[lat, lng] of the centre of each of parcels()'s squares (0.03° wide)."""
    return [
        [
            f["geometry"]["coordinates"][0][0][1] + 0.015,
            f["geometry"]["coordinates"][0][0][0] + 0.015,
        ]
        for f in squares
    ]


def rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]


def test_a_tiled_choropleth_and_tiled_categories_are_styled_as_inline_layers(
    live_home, tile_thresholds, page, watch, live_server, axe, screenshot
):
    polygons, points = rates(3000), operated(2000)
    map_ = make_map(
        "Taux et bornes",
        layers=[
            layer("Taux", *polygons, representation=CHOROPLETH),
            layer("Bornes", *points, representation=CATEGORIES),
        ],
    )
    taux_digest, bornes_digest = (item["data"]["digest"] for item in map_.layers)
    # Built when stored, built again when published: the tiles carry the classified property.
    carried = dict(VectorTiles.objects.values_list("layer_data_id", "keys"))
    assert carried == {taux_digest: ["taux"], bornes_digest: ["operateur"]}
    standard_page(live_home, "Taux et bornes", "taux-et-bornes", map_)

    whole_layers = []
    page.on(
        "response",
        lambda r: (
            whole_layers.append(r.url) if r.url.endswith(".geojson") and "/data/" in r.url else None
        ),
    )
    section = open_map(
        page, live_server.url + "/taux-et-bornes/", "Taux et bornes", timeout=TIMEOUT
    )
    dom_id = section.get_attribute("id")
    page.wait_for_function(
        "() => document.querySelectorAll('canvas.umap-data-tile').length > 0", timeout=TIMEOUT
    )
    section.locator("[data-umap-cluster]").first.wait_for(timeout=TIMEOUT)
    assert whole_layers == []  # both read from their tiles: no fallback to the data URL
    config = page.evaluate(
        "(id) => JSON.parse(document.getElementById(id).textContent).layers",
        section.get_attribute("data-umap-config"),
    )
    classes = config[0]["representation"]["classes"]
    bounds = config[0]["representation"]["bounds"]
    assert len(classes) == 3

    # Each polygon in view is filled with its class's colour, as an inline choropleth is
    # (tests/browser/test_large_representations.py): the same classes, the same opacity.
    # Zoomed in, so that a polygon's centre is many pixels from its outline.
    page.evaluate(
        f"""() => {{ const viewer = wagtailUmap.get('{dom_id}');
            viewer.map.setView([46.5, 2.0], viewer.map.getZoom() + 3, {{animate: false}}); }}"""
    )
    page.wait_for_function(TILES_DRAWN, arg=dom_id, timeout=TIMEOUT)

    def class_colour(value):
        index = max([0] + [i for i in range(1, len(bounds) - 1) if value > bounds[i]])
        return classes[index]["colour"]

    pixels = page.evaluate(CANVAS_PIXELS, [dom_id, centres(polygons)])
    sampled = [(i, pixel) for i, pixel in enumerate(pixels) if pixel]
    assert len(sampled) > 30
    wrong = [
        (i, pixel)
        for i, pixel in sampled
        if any(
            abs(a - b) > 3
            for a, b in zip(
                pixel[:3], rgb(class_colour(polygons[i]["properties"]["taux"])), strict=True
            )
        )
        or abs(pixel[3] - 191) > 3  # fill_opacity 0.75
    ]
    assert wrong == []
    assert {class_colour(polygons[i]["properties"]["taux"]) for i, _ in sampled} == {
        c["colour"] for c in classes
    }
    # The legend, the server's: three classes, their counts.
    entries = section.locator(f'[data-umap-legend="{config[0]["id"]}"] .umap-legend__entry')
    assert entries.count() == 3
    assert entries.nth(0).inner_text().startswith(classes[0]["label"])
    screenshot(page, "vector-tiles-choropleth")

    # Categories: zoomed in, each lone point is a marker in its operator's colour.
    categories = {c["value"]: c["colour"] for c in config[1]["representation"]["categories"]}
    assert set(categories) == set(OPERATORS) and len(set(categories.values())) == 3
    last = VectorTiles.objects.get(pk=bornes_digest).max_zoom
    page.evaluate(
        f"() => wagtailUmap.get('{dom_id}').map.setView([46.06, 4.62], {last}, {{animate: false}})"
    )
    page.wait_for_function(
        f"() => document.querySelectorAll('#{dom_id} .umap-marker[data-umap-feature]').length > 3",
        timeout=TIMEOUT,
    )
    fills = page.evaluate(MARKER_FILLS, dom_id)
    layer_id = config[1]["id"]
    markers = {key: fill for key, fill in fills.items() if key.startswith(layer_id + ":")}
    assert len(markers) > 3
    for key, fill in markers.items():
        index = int(key.split(":")[1])
        assert fill.lower() == categories[OPERATORS[index % 3]].lower(), key
    screenshot(page, "vector-tiles-categories")

    # The keyboard route to a tiled feature: its list button, Enter, its popup.
    button = section.locator(f'button[data-umap-feature="{config[0]["id"]}:7"]')
    button.focus()
    page.keyboard.press("Enter")
    title = section.locator(".umap-popup__title")
    title.wait_for(timeout=TIMEOUT)
    assert title.inner_text() == "Parcelle 8"
    page.keyboard.press("Escape")

    # The list's next page, fetched and put in place, its summary focused.
    list_of_taux = section.locator(f'[data-umap-feature-page="{config[0]["id"]}"]')
    list_of_taux.locator('a[rel="next"]').click()
    page.wait_for_function(
        """(id) => /Éléments 51 à 100 sur/.test(document.activeElement.textContent)""",
        arg=dom_id,
        timeout=TIMEOUT,
    )
    # Two paginated lists on one map: each pager and search named after its layer.
    assert axe(page, f"#{dom_id}") == []
    watch.assert_clean()


def test_a_tiled_layer_styled_by_a_rule_on_the_name_and_named_by_another_field(
    live_home, tile_thresholds, page, watch, live_server
):
    """The styles of tiled features are kept per value of what the styles read: a rule on
    the name colours the one parcel it names, a feature's own _style colours it, and a label
    field that differs from one feature to the next changes no colour."""
    polygons = parcels(3000)
    for i, feature in enumerate(polygons):
        feature["properties"]["code"] = f"P-{i:04d}"  # the label: a different value each
    polygons[1]["properties"]["_style"] = {"color": "#2a9d8f", "fill_opacity": 1}
    rule = {"field": "name", "value": "Parcelle 1", "style": {"color": "#e63946"}}
    base = {"color": "#1f5fa8", "fill_opacity": 1}
    map_ = make_map(
        "Parcelles nommées",
        layers=[
            layer("Parcelles", *polygons, label_key="code", rules=[rule], style=base),
        ],
    )
    standard_page(live_home, "Parcelles nommées", "parcelles-nommees", map_)
    section = open_map(
        page, live_server.url + "/parcelles-nommees/", "Parcelles nommées", timeout=TIMEOUT
    )
    dom_id = section.get_attribute("id")
    page.evaluate(
        f"""() => {{ const viewer = wagtailUmap.get('{dom_id}');
            viewer.map.setView([46.05, 1.06], viewer.map.getZoom() + 4, {{animate: false}}); }}"""
    )
    page.wait_for_function(TILES_DRAWN, arg=dom_id, timeout=TIMEOUT)
    pixels = page.evaluate(CANVAS_PIXELS, [dom_id, centres(polygons[:3])])
    assert all(pixels), pixels  # the three parcels are in view
    expected = ["#e63946", "#2a9d8f", "#1f5fa8"]  # the rule's, its own, the layer's
    for pixel, colour in zip(pixels, expected, strict=True):
        assert all(abs(a - b) <= 3 for a, b in zip(pixel[:3], rgb(colour), strict=True)), (
            pixel,
            colour,
        )


def test_a_filtered_large_layer_loads_its_data_and_its_filters_work(
    live_home, tile_thresholds, page, watch, live_server
):
    # Filters count and hide features among all of them: a filtered layer loads its data URL
    # (its archive, built, stays unused) and the filter form works as on any layer.
    points = operated(2000)
    filters = [{"type": "category", "field": "operateur", "label": "Opérateur"}]
    map_ = make_map(
        "Bornes filtrées",
        layers=[layer("Bornes", *points, representation=CATEGORIES, filters=filters)],
    )
    assert VectorTiles.objects.get(pk=map_.layers[0]["data"]["digest"]).ready
    standard_page(live_home, "Bornes filtrées", "bornes-filtrees", map_)
    whole_layers = []
    page.on(
        "response",
        lambda r: whole_layers.append(r.url) if r.url.split("?")[0].endswith(".geojson") else None,
    )
    section = open_map(
        page, live_server.url + "/bornes-filtrees/", "Bornes filtrées", timeout=TIMEOUT
    )
    assert len(whole_layers) == 1
    form = section.locator("form[data-umap-filters]")
    izivia = form.get_by_role("checkbox", name="Izivia", exact=False)
    izivia.focus()
    page.keyboard.press("Space")
    kept = sum(1 for p in points if p["properties"]["operateur"] != "Izivia")
    page.wait_for_function(
        """([id, kept]) => document.querySelector('#' + id + ' [data-umap-status]').textContent
            .replace(/\\s/g, '').startsWith(kept + 'élémentsaffichéssur2000')""",
        arg=[section.get_attribute("id"), kept],
        timeout=TIMEOUT,
    )
    watch.assert_clean()
