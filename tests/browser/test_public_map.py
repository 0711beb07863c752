"""The public viewer in Chromium: mounting, keyboard paths, no-JS fallback, axe, escaping,
reduced motion, drafts and large layers loaded from their data URL.

Counts and names are computed from the Map's data in the database, never hard-coded.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from example_site.home.models import HomePage, StandardPage
from tests.browser.fixtures import PageWatch, route_request
from tests.browser.helpers import TIMEOUT, open_map, viewer_of, wait_for_opaque_popup
from tests.factories import layer, make_map, point, root_page, square
from wagtail_umap.models import Map
from wagtail_umap.models.basemaps import get_basemap

pytestmark = pytest.mark.django_db(transaction=True)

VELO = "/velo/"
TOWN_HALL = "/mairie-et-travaux/"
ZONE_30 = "Zone 30 du centre-bourg"
XSS = "<img src=x onerror=alert(1)>"
SHOW_ON_MAP = re.compile(r"Voir sur la carte|Show on the map")


# --- helpers


@pytest.fixture
def demo(transactional_db, live_server):
    root_page()
    call_command("load_demo", no_large=True, stdout=io.StringIO())
    return live_server


def features_of(map_: Map) -> list[dict]:
    return [
        feature
        for layer_ in map_.full_document()["layers"]
        for feature in layer_.get("features", [])
    ]


def point_count(map_: Map) -> int:
    return sum(1 for f in features_of(map_) if (f.get("geometry") or {}).get("type") == "Point")


def feature_names(map_: Map) -> set[str]:
    return {f["properties"]["name"] for f in features_of(map_)}


def new_page(browser, watch: PageWatch, **options):
    """A page in a context of its own (other options than the ``page`` fixture's),
    with the same routing: tiles answered locally, any other outside request aborted."""
    options = {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}, **options}
    context = browser.new_context(**options)
    context.route("**/*", lambda route: route_request(route, watch))
    page = context.new_page()
    page.on(
        "console",
        lambda m: watch.console_errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    return context, page


def active_in(page, selector: str) -> bool:
    return page.evaluate(
        "(s) => !!document.activeElement && !!document.activeElement.closest(s)", selector
    )


def is_active(page, locator) -> bool:
    return locator.evaluate("(el) => el === document.activeElement")


def standard_page(home, title: str, slug: str, map_: Map) -> StandardPage:
    page = home.add_child(
        instance=StandardPage(
            title=title,
            slug=slug,
            body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": ""}}],
        )
    )
    page.save_revision().publish()
    return page


# --- 1. mounting


@pytest.mark.parametrize(
    ("url", "title"), [(VELO, "Réseau cyclable"), (TOWN_HALL, "Travaux de voirie")]
)
def test_map_mounts_with_one_marker_per_point_and_the_full_list(
    demo, page, watch, screenshot, url, title
):
    map_ = Map.objects.get(title=title)
    section = open_map(page, demo.url + url, title)

    assert section.locator(".umap-marker").count() == point_count(map_)
    listed = set(section.locator(".umap-viewer__feature-name").all_inner_texts())
    assert listed == feature_names(map_)
    # Each marker is named after a feature of the map.
    labels = {m.get_attribute("aria-label") for m in section.locator(".umap-marker").all()}
    assert labels <= feature_names(map_)
    # The status region announces how many features are shown (every layer is on at load).
    status = section.locator("[data-umap-status]")
    assert status.get_attribute("role") == "status"
    assert re.search(rf"\b{len(features_of(map_))}\b", status.inner_text()), status.inner_text()
    # Every located feature's "Voir sur la carte" button is shown once its layer is drawn.
    assert section.locator("button[data-umap-feature]:visible").count() == len(features_of(map_))

    assert watch.tile_requests, "no tile was requested: the basemap did not load"
    basemap_host = urlsplit(get_basemap(map_.options.get("basemap"))["url"]).hostname
    assert basemap_host == "data.geopf.fr"
    assert {urlsplit(u).hostname for u in watch.tile_requests} == {basemap_host}
    watch.assert_clean()

    if url == VELO:
        screenshot(page, "map-page")
    else:
        # The map block (below the location block): its heading at the top of the window.
        section.locator(".umap-viewer__title").evaluate("(el) => el.scrollIntoView()")
        screenshot(page, "block-page")


# --- 2. keyboard: markers


def test_keyboard_reaches_a_marker_opens_and_closes_its_popup(demo, page, watch, screenshot):
    map_ = Map.objects.get(title="Réseau cyclable")
    open_map(page, demo.url + VELO, "Réseau cyclable")

    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if active_in(page, ".umap-marker"):
            break
    else:
        pytest.fail("40 presses of Tab from the top of the page never focused a map marker")

    marker = page.locator(".umap-marker:focus")
    name = marker.get_attribute("aria-label")
    assert name in feature_names(map_)
    key = marker.get_attribute("data-umap-feature")

    page.keyboard.press("Enter")
    popup = page.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{key}"]')
    popup.wait_for(timeout=TIMEOUT)
    assert active_in(page, ".leaflet-popup")
    assert popup.locator(".umap-popup__title").inner_text() == name
    wait_for_opaque_popup(page)
    screenshot(page, "map-popup-keyboard")

    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached", timeout=TIMEOUT)
    focused = page.locator(".umap-marker:focus")
    assert focused.count() == 1, "focus did not return to a marker after Escape"
    assert focused.get_attribute("data-umap-feature") == key
    watch.assert_clean()


# --- 3. "Voir sur la carte" on a polygon


def test_show_on_map_button_opens_the_polygon_popup_and_escape_returns(demo, page, watch):
    section = open_map(page, demo.url + VELO, "Réseau cyclable")
    item = section.locator("li[data-umap-feature-item]", has_text=ZONE_30)
    key = item.get_attribute("data-umap-feature-item")
    button = section.locator(f'button[data-umap-feature="{key}"]')
    assert SHOW_ON_MAP.search(button.inner_text())

    button.focus()
    page.keyboard.press("Enter")
    popup = page.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{key}"]')
    popup.wait_for(timeout=TIMEOUT)
    assert popup.locator(".umap-popup__title").inner_text() == ZONE_30
    page.wait_for_function("() => !!document.activeElement.closest('.leaflet-popup')")

    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached", timeout=TIMEOUT)
    assert is_active(page, button), "focus did not return to the “Voir sur la carte” button"
    watch.assert_clean()


# --- 4. skip link


def test_layer_switcher_hides_and_shows_a_layer_with_the_keyboard(demo, page, watch):
    map_ = Map.objects.get(title="Réseau cyclable")
    section = open_map(page, demo.url + VELO, map_.title)
    toggle = section.locator(".umap-layers-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"  # wide map: unfolded
    markers = section.locator(".umap-marker")
    assert markers.count() == point_count(map_)
    checkbox = section.get_by_role("checkbox", name="Stationnement vélo")
    checkbox.focus()
    page.keyboard.press("Space")
    assert markers.count() == 0  # the only point layer is hidden
    page.keyboard.press("Space")
    assert markers.count() == point_count(map_)
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not checkbox.is_visible()
    watch.assert_clean()


def test_skip_link_moves_focus_to_the_feature_list(demo, page, watch):
    section = open_map(page, demo.url + VELO, "Réseau cyclable")
    skip = section.locator("a.umap-viewer__skip")
    assert re.search(r"Passer la carte|Skip the map", skip.inner_text())
    skip.focus()
    page.keyboard.press("Enter")
    assert is_active(page, section.locator("[data-umap-list]"))
    watch.assert_clean()


# --- 5. without JavaScript


def test_without_javascript_the_text_alternative_is_complete(demo, browser):
    map_ = Map.objects.get(title="Réseau cyclable")
    watch = PageWatch()
    context, page = new_page(browser, watch, java_script_enabled=False)
    try:
        page.goto(demo.url + VELO)
        section = viewer_of(page, map_.title)
        assert section.locator(".umap-viewer__title").inner_text() == map_.title
        assert section.locator(".umap-viewer__summary").inner_text() == map_.summary
        listed = set(section.locator(".umap-viewer__feature-name").all_inner_texts())
        assert listed == feature_names(map_)
        buttons = section.locator("button[data-umap-feature]")
        assert buttons.count() > 0
        for button in buttons.all():
            assert button.is_hidden()
        assert section.locator("[data-umap-fallback]").is_visible()
        assert section.get_attribute("data-umap-state") is None
        assert watch.outside_requests == [] and watch.tile_requests == []
    finally:
        context.close()


# --- 6. axe-core


@pytest.mark.parametrize(
    ("url", "title"), [(VELO, "Réseau cyclable"), (TOWN_HALL, "Travaux de voirie")]
)
def test_axe_finds_no_violation(demo, page, watch, axe, url, title):
    open_map(page, demo.url + url, title)
    violations = axe(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


# --- 7. escaping


def test_feature_and_layer_names_are_text_never_html(demo, page, watch):
    map_ = make_map(
        "Carte piégée",
        layers=[
            layer(XSS, point(2.85, 47.50, XSS)),
            layer("Autre couche", point(2.86, 47.51, "Sans danger")),
        ],
    )
    standard_page(HomePage.objects.get(slug="accueil"), "Carte piégée", "carte-piegee", map_)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    section = open_map(page, demo.url + "/carte-piegee/", "Carte piégée")
    names = section.locator(".umap-viewer__feature-name").all_inner_texts()
    assert XSS in names
    assert XSS in section.locator(".umap-viewer__layer-title").all_inner_texts()
    # The layer switcher (Leaflet writes its labels with innerHTML) shows the name as text.
    switcher = section.locator(".leaflet-control-layers")
    assert XSS in switcher.inner_text()

    key = section.locator("li[data-umap-feature-item]", has_text=XSS).get_attribute(
        "data-umap-feature-item"
    )
    marker = section.locator(f'.umap-marker[data-umap-feature="{key}"]')
    assert marker.get_attribute("aria-label") == XSS
    marker.focus()
    page.keyboard.press("Enter")
    title = page.locator(".leaflet-popup .umap-popup__title")
    title.wait_for(timeout=TIMEOUT)
    assert title.inner_text() == XSS

    assert page.locator("img[src=x]").count() == 0
    assert page.locator('img[src="x"], [onerror]').count() == 0
    page.wait_for_timeout(100)
    assert dialogs == []
    watch.assert_clean()


# --- 8. reduced motion


def test_reduced_motion_turns_animations_off_and_the_map_still_works(demo, browser, page):
    # With motion allowed, Leaflet animates zooms (control for the assertion below).
    open_map(page, demo.url + VELO, "Réseau cyclable")
    # (Leaflet's zoom proxy exists, markers carry leaflet-zoom-animated; tiles never fade in,
    # motion or not: each fade is 200 ms of work on the page's thread after a pan or a zoom.)
    assert page.locator("[data-umap-map] .leaflet-proxy").count() == 1
    assert page.locator(".umap-marker.leaflet-zoom-animated").count() > 0
    assert "leaflet-fade-anim" not in page.locator("[data-umap-map]").get_attribute("class")

    watch = PageWatch()
    context, still = new_page(browser, watch, reduced_motion="reduce")
    try:
        section = open_map(still, demo.url + VELO, "Réseau cyclable")
        container = section.locator("[data-umap-map]")
        assert container.locator(".leaflet-proxy").count() == 0
        markers = container.locator(".umap-marker")
        assert markers.count() > 0
        assert container.locator(".umap-marker.leaflet-zoom-animated").count() == 0
        assert container.locator(".umap-marker.leaflet-zoom-hide").count() == markers.count()
        assert "leaflet-fade-anim" not in (container.get_attribute("class") or "")
        dom_id = section.get_attribute("id")
        options = still.evaluate(
            "(id) => { const o = window.wagtailUmap.get(id).map.options;"
            " return [o.zoomAnimation, o.fadeAnimation, o.markerZoomAnimation, o.inertia]; }",
            dom_id,
        )
        assert options == [False, False, False, False]

        key = section.locator("li[data-umap-feature-item]", has_text=ZONE_30).get_attribute(
            "data-umap-feature-item"
        )
        button = section.locator(f'button[data-umap-feature="{key}"]')
        button.click()
        popup = still.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{key}"]')
        popup.wait_for(timeout=TIMEOUT)
        assert popup.locator(".umap-popup__title").inner_text() == ZONE_30
        assert active_in(still, ".leaflet-popup")
        assert container.evaluate("(el) => el.classList.contains('leaflet-zoom-anim')") is False
        watch.assert_clean()
    finally:
        context.close()


# --- 9. a draft map


def test_a_draft_map_in_a_block_shows_nothing_to_the_public(demo, page, watch):
    draft = make_map(
        "Projet de carte secrète",
        publish=False,
        layers=[layer("Secrets", point(2.85, 47.5, "Lieu secret"))],
    )
    standard_page(HomePage.objects.get(slug="accueil"), "Page publique", "page-publique", draft)

    response = page.goto(demo.url + "/page-publique/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Page publique"
    assert page.locator("[data-umap-viewer]").count() == 0
    content = page.content()
    assert "Projet de carte secrète" not in content
    assert "Lieu secret" not in content
    assert "/cartes/data/" not in content
    watch.assert_clean()


# --- 10. a large layer from its data URL


def test_a_large_layer_loads_from_its_data_url(demo, page, watch, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map(
        "Bornes de recharge",
        layers=[
            layer(
                "Bornes",
                *[point(2.84 + i / 500, 47.50 + i / 1000, f"Borne {i + 1}") for i in range(6)],
            ),
            layer("Parkings", square(2.85, 47.49, "Parking relais")),
        ],
    )
    standard_page(HomePage.objects.get(slug="accueil"), "Recharge", "recharge", map_)
    data_url = re.compile(rf"/cartes/data/{map_.pk}/[0-9a-f]{{64}}\.geojson$")
    fetched = []
    page.on(
        "response",
        lambda r: (
            fetched.append((urlsplit(r.url).path, r.status))
            if data_url.search(urlsplit(r.url).path)
            else None
        ),
    )

    section = open_map(page, demo.url + "/recharge/", "Bornes de recharge")
    assert len(fetched) == len(map_.layers), fetched  # every layer is above 10 bytes
    assert all(status == 200 for _, status in fetched), fetched
    # Nothing of the features travelled inside the page.
    config = page.locator(f"#{section.get_attribute('id')}-config").inner_text()
    assert "Borne 1" not in config
    assert section.locator(".umap-marker").count() == point_count(map_) == 6
    assert section.locator("path.leaflet-interactive[data-umap-feature]").count() == 1
    watch.assert_clean()


# --- phone


def test_on_a_phone_the_map_fits_the_screen(demo, browser, screenshot):
    watch = PageWatch()
    context, phone = new_page(
        browser, watch, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        map_ = Map.objects.get(title="Réseau cyclable")
        section = open_map(phone, demo.url + VELO, map_.title)
        assert section.locator(".umap-marker").count() == point_count(map_)
        box = section.locator("[data-umap-map]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= 200
        # No sideways scrolling of the page.
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
        # The layer switcher starts folded on a phone, and a button unfolds it.
        toggle = section.locator(".umap-layers-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not section.locator(".leaflet-control-layers-list").is_visible()
        screenshot(phone, "mobile")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert section.locator(".leaflet-control-layers-list").is_visible()
        watch.assert_clean()
    finally:
        context.close()
