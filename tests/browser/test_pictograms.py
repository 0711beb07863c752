"""The library's pictograms, as an editor and a citizen meet them: searched in the style panel
by keyboard ("école", accents or not), drawn inside the pins of the editor's map and, once
published, of the public map, with the feature's name (or, for an unnamed place, the
pictogram's) as the marker's accessible name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import (
    MAP_PUBLISHED_URL,
    TIMEOUT,
    hidden_document,
    log_in_as_editor,
    publish,
    visitor_page,
    wait_for_editor,
)
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models import Map

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.admin_ui,
]

SHOW_AT_TOP = "node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }"


@pytest.fixture(autouse=True)
def site(transactional_db):
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return make_home("accueil-pictogrammes")


@pytest.fixture
def schools(transactional_db):
    return make_map(
        "Écoles de Trifouilly",
        layers=[
            layer(
                "Écoles",
                point(2.350, 48.853, "École Jules-Ferry"),
                point(2.356, 48.857, ""),  # unnamed: the pictogram names it
                style={"color": "#1f5fa8"},
            )
        ],
    )


def test_an_editor_picks_a_pictogram_by_keyboard_and_the_public_map_shows_it(
    page, live_server, django_user_model, schools, watch, axe, screenshot, browser
):
    edit_url = f"/admin/snippets/wagtail_umap/map/edit/{schools.pk}/"
    log_in_as_editor(page, live_server, django_user_model, edit_url)
    wait_for_editor(page)

    # Before: the editor's map draws the places as pins (as the public map), not as dots.
    pins = page.locator(".umap-editor .leaflet-marker-pane .umap-marker--pin")
    pins.first.wait_for(timeout=TIMEOUT)
    assert pins.count() == 2
    assert page.locator(".umap-editor .leaflet-overlay-pane path.leaflet-interactive").count() == 0

    # The layer's settings, opened with the keyboard.
    summary = page.locator(".umap-editor__layer-details > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    style = page.locator(".umap-editor__layer-details [data-umap-panel=style]")
    picker = style.locator("[data-umap-style=icons]")
    picker.wait_for(timeout=TIMEOUT)
    assert picker.locator(".umap-icons__remove").is_disabled()  # nothing chosen yet

    # Search "école": French keywords, the accent typed; then "ecole" finds the same.
    search = picker.get_by_label("Rechercher les pictogrammes (en français ou en anglais)")
    search.focus()
    page.keyboard.type("école")
    results = picker.locator(".umap-icons__choice")
    results.first.wait_for(timeout=TIMEOUT)
    found = results.evaluate_all("buttons => buttons.map(b => b.dataset.umapIcon)")
    assert found[0] == "school"
    assert "hospital" not in found
    assert picker.locator(".umap-icons__count").inner_text().endswith("trouvés")
    page.keyboard.press("Control+A")
    page.keyboard.type("ecole")
    assert results.evaluate_all("buttons => buttons.map(b => b.dataset.umapIcon)") == found
    page.keyboard.type(" zzz")
    assert results.count() == 0
    assert "Aucun pictogramme" in picker.locator(".umap-icons__count").inner_text()
    for _ in range(4):
        page.keyboard.press("Backspace")

    # Into the results with the down arrow, along them with the arrows, Enter chooses.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.umapIcon") == "school"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.umapIcon") == found[1]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    chosen = picker.locator(".umap-icons__choice[aria-pressed=true]")
    chosen.wait_for(timeout=TIMEOUT)
    assert chosen.get_attribute("data-umap-icon") == "school"
    assert picker.locator(".umap-icons__chosen").inner_text().strip() == "Choisi : École"
    assert not picker.locator(".umap-icons__remove").is_disabled()
    assert hidden_document(page)["layers"][0]["style"]["icon"] == "school"

    # The editor's pins now draw the pictogram.
    page.wait_for_function(
        "() => document.querySelectorAll('.umap-editor .leaflet-marker-pane use').length === 2"
    )
    href = page.locator(".umap-editor .leaflet-marker-pane use").first.get_attribute("href")
    assert href.endswith("/wagtail_umap/vendor/maki/pictograms.svg#school")
    violations = axe(page, ".umap-editor__layer-details [data-umap-panel=style]")
    assert violations == [], violations
    picker.evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-pictograms")

    publish(page)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    map_ = Map.objects.get(pk=schools.pk)
    assert map_.live and not map_.has_unpublished_changes
    assert map_.full_document()["layers"][0]["style"]["icon"] == "school"

    # The public map, in a citizen's tab: the pictogram in the pins, the names as before.
    with visitor_page(browser) as citizen:
        citizen.goto(live_server.url + reverse("wagtail_umap:embed", args=[schools.pk]))
        named = citizen.locator('.umap-marker[aria-label="École Jules-Ferry"]')
        named.wait_for(timeout=TIMEOUT)
        use = named.locator("svg use")
        assert use.get_attribute("href").endswith("pictograms.svg#school")
        assert named.locator("svg").get_attribute("aria-hidden") == "true"  # decorative
        assert "umap-marker--pictogram" in named.get_attribute("class")
        # The unnamed place is named after its pictogram.
        assert citizen.locator('.umap-marker[aria-label="École"]').count() == 1
        # The sprite is served (same origin, allowed by the CSP) and holds the symbol.
        response = citizen.request.get(live_server.url + use.get_attribute("href").split("#")[0])
        assert response.ok
        assert 'id="school"' in response.text()
        # The pictogram is drawn: the <use> has a size once its symbol is loaded.
        citizen.wait_for_function(
            "() => { const u = document.querySelector('.umap-marker use');"
            " return u && u.getBBox().width > 0; }"
        )
        violations = axe(citizen, "section[data-umap-viewer]")
        assert violations == [], violations
        citizen.locator(".leaflet-container").first.scroll_into_view_if_needed()
        screenshot(citizen, "viewer-library-pictograms")
    watch.assert_clean()
