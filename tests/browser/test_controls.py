"""The controls of the public map in Chromium: each on or off per map, fullscreen, locate me,
home, address search (geocoder routed locally) and the permalink in the URL's hash.

Nothing leaves the machine: tiles are answered by the conftest's route, the geocoder by a route
registered here (more specific, so Playwright tries it first).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from example_site.home.management.commands.load_demo import Command as LoadDemo
from tests.browser.fixtures import PageWatch
from tests.browser.helpers import TIMEOUT, open_map, wait_until_ready
from tests.browser.test_public_map import is_active, new_page, standard_page
from tests.factories import layer, make_map, point, root_page, square
from wagtail_umap.core.document import CONTROL_NAMES, DEFAULT_CONTROLS
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Équipements de la commune"
SCHOOLS = "Écoles"
WORKS = "Travaux"
ALL_ON = {name: True for name in CONTROL_NAMES}
ALL_OFF = {name: False for name in CONTROL_NAMES}
GEOCODER_PATH = "**/geocodage/**"
FOUND = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.8612, 47.5102]},
            "properties": {"label": "12 Rue de la Mairie 18240 Belleville-sur-Loire"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.87, 47.52]},
            "properties": {"label": "Rue de la Mairie 18240 Sury-près-Léré"},
        },
    ],
}


class Site:
    def __init__(self, home, url):
        self.home, self.url = home, url


@pytest.fixture
def site(transactional_db, live_server):
    root_page()
    return Site(LoadDemo().home_page(), live_server.url)


def map_page(site, slug: str, controls: dict, title: str = TITLE, *, block: bool = True) -> str:
    """A published page showing a two-layer map whose controls are ``controls``: its URL.

    In a StandardPage's map block, or (``block=False``) as a MapPage, whose viewer has a
    stable dom id (``umap-page-{pk}``), which the permalink needs."""
    map_ = make_map(
        title,
        layers=[
            layer(
                SCHOOLS,
                point(2.850, 47.500, "École Jules-Ferry"),
                point(2.860, 47.505, "École des Tilleuls"),
            ),
            layer(WORKS, square(2.840, 47.490, "Réfection de la place")),
        ],
    )
    map_.document["options"]["controls"] = {**DEFAULT_CONTROLS, **controls}
    map_.save()
    map_.save_revision().publish()
    if block:
        standard_page(site.home, title, slug, map_)
    else:
        site.home.add_child(instance=MapPage(title=title, slug=slug, map=map_))
    return f"{site.url}/{slug}/"


def dom_id(section) -> str:
    return section.get_attribute("id")


def view_of(page, section) -> dict:
    return page.evaluate(
        "(id) => { const m = window.wagtailUmap.get(id).map, c = m.getCenter();"
        " return {zoom: m.getZoom(), lat: c.lat, lng: c.lng}; }",
        dom_id(section),
    )


def same_view(a: dict, b: dict, tolerance: float = 1e-4) -> bool:
    return (
        a["zoom"] == b["zoom"]
        and abs(a["lat"] - b["lat"]) < tolerance
        and abs(a["lng"] - b["lng"]) < tolerance
    )


def route_geocoder(page, body: dict, requests: list) -> None:
    def answer(route):
        requests.append(route.request)
        route.fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body=json.dumps(body),
        )

    page.route(GEOCODER_PATH, answer)


def control(section, name: str):
    return section.locator(f'button[data-umap-control="{name}"]')


# --- on and off


def test_each_control_is_there_only_when_on(site, page, watch, axe, screenshot):
    everything = map_page(site, "tout", ALL_ON)
    nothing = map_page(site, "rien", ALL_OFF, title="Carte sans commandes")

    section = open_map(page, everything, TITLE)
    assert section.locator(".leaflet-control-zoom").count() == 1
    assert section.locator(".leaflet-control-scale").count() == 1
    assert section.locator(".leaflet-control-layers").count() == 1
    assert control(section, "home").get_attribute("aria-label") == "Revenir à la vue initiale"
    assert control(section, "fullscreen").get_attribute("aria-label") == "Plein écran"
    assert control(section, "locate").get_attribute("aria-label") == "Afficher ma position"
    search = section.locator("form[data-umap-search][role=search]")
    assert search.get_by_role("searchbox", name="Rechercher une adresse").count() == 1
    assert search.get_by_role("button", name="Rechercher").count() == 1
    assert "Base Adresse Nationale" in search.locator(".umap-search__source").inner_text()
    # Targets of at least 24 × 24 px.
    for button in section.locator("[data-umap-control], .leaflet-control-zoom a").all():
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, button.get_attribute("class")

    violations = axe(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )
    section.evaluate("(el) => el.scrollIntoView()")
    screenshot(page, "controls")
    watch.assert_clean()

    bare = open_map(page, nothing, "Carte sans commandes")
    for selector in (
        ".leaflet-control-zoom",
        ".leaflet-control-scale",
        ".leaflet-control-layers",
        "[data-umap-control]",
        "form[data-umap-search]",
    ):
        assert bare.locator(selector).count() == 0, selector
    # No permalink: moving the map leaves the URL alone.
    page.evaluate("(id) => window.wagtailUmap.get(id).map.panBy([120, 80])", dom_id(bare))
    page.wait_for_timeout(400)
    assert urlsplit(page.url).fragment == ""
    watch.assert_clean()


# --- fullscreen


def test_fullscreen_with_the_keyboard_and_escape_leaves(site, page, watch):
    section = open_map(page, map_page(site, "plein-ecran", ALL_ON), TITLE)
    button = control(section, "fullscreen")
    width = section.locator("[data-umap-map]").bounding_box()["width"]
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(id) => document.fullscreenElement === document.getElementById(id)"
        " || document.getElementById(id).classList.contains('umap-viewer--pseudo-fullscreen')",
        arg=dom_id(section),
        timeout=TIMEOUT,
    )
    page.wait_for_function(
        "(b) => b.getAttribute('aria-label') === 'Quitter le plein écran'",
        arg=button.element_handle(),
    )
    assert is_active(page, button)
    # The map fills the screen's width, and Leaflet knows its new size.
    box = section.locator("[data-umap-map]").bounding_box()
    assert box["width"] > width
    size = page.evaluate("(id) => window.wagtailUmap.get(id).map.getSize().x", dom_id(section))
    assert abs(size - box["width"]) <= 2

    page.keyboard.press("Escape")
    page.wait_for_function(
        "(id) => !document.fullscreenElement"
        " && !document.getElementById(id).classList.contains('umap-viewer--fullscreen')",
        arg=dom_id(section),
        timeout=TIMEOUT,
    )
    assert button.get_attribute("aria-label") == "Plein écran"
    assert is_active(page, button)
    watch.assert_clean()


def test_pseudo_fullscreen_where_the_api_is_missing(site, browser):
    url = None
    watch = PageWatch()
    context, page = new_page(browser, watch)
    try:
        # As on an iPhone: no Fullscreen API on elements.
        page.add_init_script(
            "Object.defineProperty(Document.prototype, 'fullscreenEnabled', {get: () => false});"
        )
        url = map_page(site, "pseudo", ALL_ON)
        section = open_map(page, url, TITLE)
        button = control(section, "fullscreen")
        button.focus()
        page.keyboard.press("Enter")
        assert "umap-viewer--pseudo-fullscreen" in section.get_attribute("class")
        box = section.bounding_box()
        assert box["width"] == 1280 and box["height"] == 900
        assert button.get_attribute("aria-label") == "Quitter le plein écran"
        page.keyboard.press("Escape")
        assert "umap-viewer--pseudo-fullscreen" not in section.get_attribute("class")
        assert is_active(page, button)
        watch.assert_clean()
    finally:
        context.close()


# --- locate me

COUNT_GEOLOCATION = """
window.geolocationCalls = {get: 0, watch: 0};
const geo = navigator.geolocation;
const get = geo.getCurrentPosition.bind(geo), watchPosition = geo.watchPosition.bind(geo);
geo.getCurrentPosition = (...args) => { window.geolocationCalls.get++; return get(...args); };
geo.watchPosition = (...args) => {
  window.geolocationCalls.watch++;
  return watchPosition(...args);
};
"""


def test_locate_asks_for_the_position_only_on_click(site, browser):
    url = map_page(site, "ma-position", {"locate": True})
    watch = PageWatch()
    context, page = new_page(
        browser,
        watch,
        geolocation={"latitude": 47.5, "longitude": 2.85, "accuracy": 30},
        permissions=["geolocation"],
    )
    try:
        page.add_init_script(COUNT_GEOLOCATION)
        section = open_map(page, url, TITLE)
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.geolocationCalls") == {"get": 0, "watch": 0}
        position = section.get_by_role("img", name="Votre position")
        assert position.count() == 0

        control(section, "locate").focus()
        page.keyboard.press("Enter")
        position.wait_for(timeout=TIMEOUT)
        assert section.locator("path.umap-position-accuracy").count() == 1
        assert page.evaluate("() => window.geolocationCalls") == {"get": 1, "watch": 0}
        status = section.locator("[data-umap-status]")
        assert "Votre position est affichée" in status.inner_text()
        center = view_of(page, section)
        assert abs(center["lat"] - 47.5) < 0.01 and abs(center["lng"] - 2.85) < 0.01
        watch.assert_clean()
    finally:
        context.close()


def test_locate_refused_is_announced(site, browser):
    url = map_page(site, "refus", {"locate": True})
    watch = PageWatch()
    context, page = new_page(browser, watch)  # no permission granted: the browser refuses
    try:
        section = open_map(page, url, TITLE)
        control(section, "locate").click()
        status = section.locator("[data-umap-status]")
        page.wait_for_function(
            "(el) => el.textContent.includes('autorisé')", arg=status.element_handle()
        )
        assert section.get_by_role("img", name="Votre position").count() == 0
        watch.assert_clean()
    finally:
        context.close()


# --- home


def test_home_returns_to_the_initial_view(site, page, watch):
    section = open_map(page, map_page(site, "accueil-carte", {"home": True}), TITLE)
    initial = view_of(page, section)
    section.locator("[data-umap-map]").focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "-"):
        page.keyboard.press(key)
    page.wait_for_timeout(500)
    assert not same_view(view_of(page, section), initial)
    control(section, "home").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([id, v]) => { const m = window.wagtailUmap.get(id).map, c = m.getCenter();"
        " return m.getZoom() === v.zoom && Math.abs(c.lat - v.lat) < 1e-4"
        " && Math.abs(c.lng - v.lng) < 1e-4; }",
        arg=[dom_id(section), initial],
        timeout=TIMEOUT,
    )
    watch.assert_clean()


# --- address search


def test_search_sends_nothing_while_typing_then_one_request(site, page, watch, axe):
    requests = []
    route_geocoder(page, FOUND, requests)
    section = open_map(page, map_page(site, "recherche", {"search": True}), TITLE)
    field = section.get_by_role("searchbox", name="Rechercher une adresse")
    field.focus()
    page.keyboard.type("12 rue de la Mairie", delay=20)
    page.wait_for_timeout(600)
    assert requests == []

    page.keyboard.press("Enter")
    results = section.locator("[data-umap-search-results] button")
    results.first.wait_for(timeout=TIMEOUT)
    assert len(requests) == 1
    request = requests[0]
    parts = urlsplit(request.url)
    assert parts.hostname == "data.geopf.fr" and parts.path == "/geocodage/search"
    assert parse_qs(parts.query) == {"q": ["12 rue de la Mairie"], "limit": ["5"]}
    assert "cookie" not in request.headers
    assert results.all_inner_texts() == [f["properties"]["label"] for f in FOUND["features"]]
    status = section.locator("[data-umap-status]")
    assert "2 adresses trouvées" in status.inner_text()
    assert axe(page) == []

    # Tab to the first result, choose it with Enter: the map goes there with a named marker.
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Tab")
    assert is_active(page, results.first)
    page.keyboard.press("Enter")
    label = FOUND["features"][0]["properties"]["label"]
    marker = section.get_by_role("img", name=label)
    marker.wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "(id) => { const c = window.wagtailUmap.get(id).map.getCenter();"
        " return Math.abs(c.lat - 47.5102) < 1e-3 && Math.abs(c.lng - 2.8612) < 1e-3; }",
        arg=dom_id(section),
        timeout=TIMEOUT,
    )
    assert view_of(page, section)["zoom"] == 16
    assert results.first.get_attribute("aria-current") == "true"
    assert label in status.inner_text()
    assert len(requests) == 1
    watch.assert_clean()


def test_search_with_no_result_says_so(site, page, watch):
    requests = []
    route_geocoder(page, {"type": "FeatureCollection", "features": []}, requests)
    section = open_map(page, map_page(site, "introuvable", {"search": True}), TITLE)
    section.get_by_role("searchbox", name="Rechercher une adresse").fill("zzzz")
    section.get_by_role("button", name="Rechercher").click()
    status = section.locator("[data-umap-status]")
    page.wait_for_function(
        "(el) => el.textContent.includes('Aucune adresse trouvée')", arg=status.element_handle()
    )
    assert section.locator("[data-umap-search-results]").is_hidden()
    assert len(requests) == 1
    watch.assert_clean()


def test_no_search_form_when_the_site_has_no_geocoder(site, page, watch, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "GEOCODER": None}
    section = open_map(page, map_page(site, "sans-geocodeur", {"search": True}), TITLE)
    assert section.locator("form[data-umap-search]").count() == 0
    assert "geocoder" in page.content()  # the configuration says so: null
    watch.assert_clean()


# --- permalink


def test_permalink_keeps_view_feature_and_layers(site, page, watch):
    url = map_page(site, "lien", {"permalink": True, "layers": True}, block=False)
    section = open_map(page, url, TITLE)
    assert urlsplit(page.url).fragment == ""  # nothing written before the citizen acts
    map_id = dom_id(section)
    history_length = page.evaluate("() => history.length")

    section.locator("[data-umap-map]").focus()
    page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => location.hash.startsWith('#{map_id}=')", timeout=TIMEOUT)

    marker = section.get_by_role("button", name="École des Tilleuls", exact=True)
    key = marker.get_attribute("data-umap-feature")
    marker.focus()
    page.keyboard.press("Enter")
    page.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{key}"]').wait_for()
    section.get_by_role("checkbox", name=WORKS).uncheck()
    schools = section.locator("[data-umap-layer] >> nth=0").get_attribute("data-umap-layer")
    page.wait_for_function(
        "([key, layer]) => location.hash.includes(';f=' + key)"
        " && location.hash.endsWith(';l=' + layer)",
        arg=[key, schools],
        timeout=TIMEOUT,
    )
    page.wait_for_timeout(400)  # let the popup's auto-pan settle
    before = view_of(page, section)
    fragment = urlsplit(page.url).fragment
    assert re.fullmatch(
        rf"{map_id}=\d+(\.\d+)?/-?\d+\.\d{{5}}/-?\d+\.\d{{5}};f={re.escape(key)};l=\w+",
        fragment,
    ), fragment
    zoom, lat, lng = fragment.split("=", 1)[1].split(";")[0].split("/")
    assert same_view(before, {"zoom": float(zoom), "lat": float(lat), "lng": float(lng)})
    # Moves replace the history entry: the back button does not replay them.
    assert page.evaluate("() => history.length") == history_length

    page.goto("about:blank")
    page.goto(url + "#" + fragment)
    wait_until_ready(page, section)
    assert urlsplit(page.url).fragment == fragment
    assert same_view(view_of(page, section), before)
    popup = page.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{key}"]')
    popup.wait_for(timeout=TIMEOUT)
    assert not page.evaluate("() => !!document.activeElement.closest('.leaflet-popup')")
    assert section.locator("path.leaflet-interactive[data-umap-feature]").count() == 0
    assert not section.get_by_role("checkbox", name=WORKS).is_checked()
    assert section.get_by_role("checkbox", name=SCHOOLS).is_checked()
    watch.assert_clean()


def test_two_maps_on_a_page_keep_their_own_hash_parameters(site, page, watch):
    url = map_page(site, "deux", {"permalink": True}, block=False)
    map_id = dom_id(open_map(page, url, TITLE))
    other = "umap-autre=5/46.60000/2.40000;l=x"
    page.goto("about:blank")  # a new document, not a jump inside the same one
    section = open_map(page, f"{url}#{other}&{map_id}=13/47.50000/2.85000", TITLE)
    wait_until_ready(page, section)
    assert same_view(view_of(page, section), {"zoom": 13, "lat": 47.5, "lng": 2.85})
    page.evaluate("(id) => window.wagtailUmap.get(id).map.panBy([50, 0])", dom_id(section))
    page.wait_for_function(
        "([other, id]) => location.hash.startsWith('#' + other + '&' + id + '=13/')"
        " && location.hash.includes(';l=')",
        arg=[other, dom_id(section)],
        timeout=TIMEOUT,
    )
    watch.assert_clean()
