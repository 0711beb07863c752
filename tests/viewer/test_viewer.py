"""The public viewer on the server side: its configuration and its no-JavaScript HTML."""

import json
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from wagtail_umap.viewer.config import viewer_config
from wagtail_umap.viewer.map import ViewerLayer, ViewerMap, clean_style, data_bounds, layer_sections

BASEMAP = {
    "id": "osm",
    "label": "OpenStreetMap",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '<a href="https://www.openstreetmap.org/copyright">© OSM</a>',
    "min_zoom": 0,
    "max_zoom": 19,
    "subdomains": "",
    "referrer_policy": "strict-origin-when-cross-origin",
}
EVIL = '<script>alert("x")</script>'


def point(lng, lat, **properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": properties,
    }


def make_map(dom_id="umap-1-1", **overrides):
    layers = overrides.pop("layers", None) or [
        ViewerLayer(
            id="L1",
            name="Écoles",
            description="Les écoles\nde la commune",
            shown_on_load=True,
            style={"color": "#aa0000", "marker_shape": "circle", "weight": True, "evil": "x"},
            popup_template="",
            features=[
                point(2.35, 48.85, name=EVIL, description=f"line 1\n{EVIL}"),
                point(2.40, 48.90),
                {"type": "Feature", "geometry": None, "properties": {"name": "Nowhere"}},
            ],
        ),
        ViewerLayer(
            id="L2",
            name="Travaux",
            description="",
            shown_on_load=False,
            style={},
            popup_template="{name} - {start}",
            features=[point(5.0, 45.0, name="Far")],
            data_url="/umap/data/abc.geojson",
        ),
    ]
    values = {
        "dom_id": dom_id,
        "title": "Ma carte",
        "summary": "Les écoles et les travaux.",
        "basemap": BASEMAP,
        "center": None,
        "zoom": None,
        "controls": {"zoom": True, "scale": False, "fullscreen": False, "layers": True},
        "credits": "Données : la mairie",
        "layers": layers,
    }
    values.update(overrides)
    return ViewerMap(**values)


def render(template, **context):
    return Template("{% load wagtail_umap %}" + template).render(Context(context))


def config_of(html, dom_id="umap-1-1"):
    match = re.search(
        rf'<script id="{dom_id}-config" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "json_script element missing"
    return match.group(1), json.loads(match.group(1))


# --- configuration ---------------------------------------------------------------------------


def test_config_carries_data_as_text_never_html():
    config = viewer_config(make_map())
    first = config["layers"][0]["data"]["features"][0]["properties"]
    assert first["name"] == EVIL  # the raw string: the script writes it with textContent
    # No key holds pre-rendered HTML (popups are built in the browser).
    flat = json.dumps(config)
    assert "popupHtml" not in flat and "html" not in {k.lower() for k in config}
    assert config["basemap"]["attribution"] == BASEMAP["attribution"]


def test_json_script_escapes_markup():
    html = render("{% umap_viewer m %}", m=make_map())
    raw, parsed = config_of(html)
    assert "<script>" not in raw and "\\u003Cscript\\u003E" in raw
    assert parsed["layers"][0]["data"]["features"][0]["properties"]["name"] == EVIL


def test_config_shape_and_strings():
    with translation.override("en"):
        config = viewer_config(make_map())
    assert config["domId"] == "umap-1-1"
    assert config["basemap"]["referrerPolicy"] == "strict-origin-when-cross-origin"
    assert config["basemap"]["maxZoom"] == 19
    # The map's own choices, and the defaults of the map document for the keys it lacks.
    assert config["controls"] == {
        "zoom": True,
        "scale": False,
        "fullscreen": False,
        "layers": True,
        "locate": False,
        "home": True,
        "search": False,
        "permalink": True,
        "print": True,
        "pan": True,  # on unless the map turns it off (WCAG 2.2, 2.5.7)
    }
    assert config["popupHeadingLevel"] == 3
    layer1, layer2 = config["layers"]
    assert layer1["style"] == {"color": "#aa0000", "marker_shape": "circle"}
    assert layer1["dataUrl"] is None and len(layer1["data"]["features"]) == 3
    assert layer2["data"] is None and layer2["dataUrl"] == "/umap/data/abc.geojson"
    assert layer2["shownOnLoad"] is False
    strings = config["strings"]
    for key in ("zoomIn", "zoomOut", "close", "layers", "showOnMap", "loading", "layerError"):
        assert strings[key]
    assert "%(count)s" in strings["featuresShown"]["one"]
    assert "%(count)s" in strings["featuresShown"]["other"]


def test_view_fits_shown_data_when_no_center():
    view = viewer_config(make_map())["view"]
    assert view["center"] is None
    # Only the layer shown on load counts: L2's point at (5, 45) is left out.
    assert view["bounds"] == [[48.85, 2.35], [48.9, 2.4]]


def test_view_uses_map_center():
    view = viewer_config(make_map(center={"lat": 43.3, "lng": 5.4}, zoom=12))["view"]
    assert view["center"] == [43.3, 5.4] and view["zoom"] == 12 and view["bounds"] is None


def test_view_defaults_from_django_leaflet_without_data(settings):
    empty = ViewerLayer("E", "Vide", "", True, {}, "", [])
    view = viewer_config(make_map(layers=[empty]))["view"]
    assert view["bounds"] is None
    assert len(view["defaultCenter"]) == 2 and isinstance(view["defaultZoom"], int)


def test_clean_style_and_bounds_ignore_bad_values():
    assert clean_style({"weight": float("nan"), "fill": True, "marker_shape": "star"}) == {
        "fill": True
    }
    layer = ViewerLayer(
        "X",
        "X",
        "",
        True,
        {},
        "",
        [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a", 1]}},
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[0, 1], [2, 3]]},
            },
        ],
    )
    assert data_bounds([layer]) == [[1.0, 0.0], [3.0, 2.0]]


# --- HTML ------------------------------------------------------------------------------------


def test_template_escapes_feature_text():
    html = render("{% umap_viewer m %}", m=make_map())
    body = html.split('type="application/json"')[0]
    assert EVIL not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    # A description that holds HTML goes through the allowlist cleaner: the script is dropped
    # (plain-text descriptions are still escaped, with linebreaksbr).
    assert '<div class="umap-viewer__feature-description">line 1\n</div>' in body


def test_structure_skip_link_and_description():
    html = render("{% umap_viewer m %}", m=make_map(heading_level=3))
    assert '<h3 class="umap-viewer__title" id="umap-1-1-title">Ma carte</h3>' in html
    assert '<p class="umap-viewer__summary" id="umap-1-1-summary">' in html
    assert 'aria-describedby="umap-1-1-summary"' in html
    assert 'role="region" aria-label="Ma carte"' in html
    assert re.search(r'<a class="umap-viewer__skip" href="#umap-1-1-list">', html)
    assert 'id="umap-1-1-list"' in html
    # The skip link comes before the map, the list after it.
    assert (
        html.index("umap-viewer__skip") < html.index("data-umap-map") < html.index("data-umap-list")
    )
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert '<h4 class="umap-viewer__layer-title">Écoles</h4>' in html
    assert "Les écoles<br>de la commune" in html
    assert "Données : la mairie" in html
    assert " style=" not in html  # strict CSP: no style attributes


def test_feature_list_buttons_hidden_and_keyed():
    html = render("{% umap_viewer m %}", m=make_map())
    buttons = re.findall(r"<button[^>]*>", html)
    assert len(buttons) == 3  # the feature without geometry gets none
    for button in buttons:
        assert 'type="button"' in button and " hidden" in button
    assert 'data-umap-feature="L1:0"' in html and 'data-umap-feature="L2:0"' in html
    assert 'data-umap-feature="L1:2"' not in html


def test_unnamed_feature_gets_a_numbered_label():
    with translation.override("en"):
        sections = layer_sections(make_map())
        html = render("{% umap_viewer m %}", m=make_map())
    assert sections[0].items[1].name == "Unnamed feature no. 2"
    assert not sections[0].items[1].has_name
    assert "Unnamed feature no. 2" in html


def test_notice_only_when_given():
    assert "umap-viewer__notice" not in render("{% umap_viewer m %}", m=make_map())
    html = render("{% umap_viewer m %}", m=make_map(notice="Preview: <b>not published</b>"))
    assert "Preview: &lt;b&gt;not published&lt;/b&gt;" in html


def test_assets_once_for_two_maps():
    html = render(
        "{% umap_viewer a %}{% umap_viewer b %}",
        a=make_map("umap-1-1"),
        b=make_map("umap-1-2"),
    )
    assert html.count("wagtail_umap/js/viewer.js") == 1
    assert html.count("leaflet/leaflet.js") == 1
    assert html.count("leaflet/leaflet.css") == 1
    assert html.count("data-umap-viewer") == 2
    config_of(html, "umap-1-1")
    config_of(html, "umap-1-2")
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag  # no inline script
    assert re.search(r'<script defer src="[^"]*viewer\.js">', html)


def test_assets_once_per_request_across_renders():
    request = RequestFactory().get("/")
    first = render("{% umap_viewer a %}", a=make_map("umap-1-1"), request=request)
    second = render("{% umap_viewer b %}", b=make_map("umap-2-1"), request=request)
    assert "viewer.js" in first and "viewer.js" not in second


def test_assets_tag_in_head_then_maps_leave_them_out():
    html = render("{% umap_viewer_assets %}{% umap_viewer a %}", a=make_map())
    assert html.count("viewer.js") == 1
    assert html.index("viewer.js") < html.index("data-umap-viewer")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_renders_in_both_languages(language):
    with translation.override(language):
        html = render("{% umap_viewer m %}", m=make_map())
    assert 'data-umap-config="umap-1-1-config"' in html


def test_the_viewer_checks_every_style_key_of_the_document():
    from wagtail_umap.core.document import STYLE_KEYS
    from wagtail_umap.viewer.map import STYLE_VALUE_TYPES

    # The sparse keys the markers draw too: the library's pictogram (issue 17).
    assert set(STYLE_VALUE_TYPES) == set(STYLE_KEYS) | {"icon"}


# --- controls --------------------------------------------------------------------------------


def test_controls_cover_every_control_name_and_take_the_maps_choice():
    from wagtail_umap.core.document import CONTROL_NAMES

    chosen = {name: False for name in CONTROL_NAMES} | {"search": True, "locate": True}
    controls = viewer_config(make_map(controls=chosen))["controls"]
    assert set(controls) == set(CONTROL_NAMES)
    assert controls == chosen
    # Anything but a dict (an old or broken document) falls back to the defaults.
    from wagtail_umap.core.document import DEFAULT_CONTROLS

    assert viewer_config(make_map(controls=None))["controls"] == DEFAULT_CONTROLS


def test_geocoder_defaults_to_the_base_adresse_nationale():
    geocoder = viewer_config(make_map())["geocoder"]
    assert geocoder["id"] == "ban"
    assert geocoder["url"] == "https://data.geopf.fr/geocodage/search"
    assert geocoder["format"] == "ban"
    assert "Base Adresse Nationale" in geocoder["attribution"]


def test_geocoder_nominatim_and_none(settings):
    settings.WAGTAIL_UMAP = {"GEOCODER": "nominatim"}
    geocoder = viewer_config(make_map())["geocoder"]
    assert geocoder["format"] == "nominatim"
    assert geocoder["url"].startswith("https://nominatim.openstreetmap.org/")
    settings.WAGTAIL_UMAP = {"GEOCODER": None}
    assert viewer_config(make_map())["geocoder"] is None


def test_control_strings_are_french_on_a_french_page():
    with translation.override("fr"):
        strings = viewer_config(make_map())["strings"]
    assert strings["fullscreen"] == "Plein écran"
    assert strings["exitFullscreen"] == "Quitter le plein écran"
    assert strings["yourPosition"] == "Votre position"
    assert strings["searchEmpty"] == "Aucune adresse trouvée."
    assert strings["searchCount"]["other"] == "%(count)s adresses trouvées"
    assert "%(meters)s" in strings["located"] and "%(source)s" in strings["searchSource"]
