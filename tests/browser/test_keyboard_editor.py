"""The map editor driven with the keyboard only (RGAA 7.1/7.3, WCAG 2.1.1 and 2.5.7).

No mouse event anywhere: the steps type, press keys and move the focus (``locator.focus`` and
``locator.press`` do what Tab would), and the page counts every mouse and pointer event it
receives to prove none came. The geocoder is answered by ``page.route``, never the internet.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.fixtures import PageWatch
from tests.browser.helpers import (
    MAP_ADD_URL,
    MAP_EDIT_URL,
    MAP_PUBLISHED_URL,
    TIMEOUT,
    hidden_document,
    log_in_by_keyboard,
    open_map,
    page_showing,
    publish,
    save_draft_button,
    visitor_page,
    wait_for_editor,
)
from tests.factories import make_home
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

# The Hôtel de Ville of Paris, as the Base Adresse Nationale answers it.
ADDRESS = {"label": "Place de l’Hôtel de Ville 75004 Paris", "lng": 2.352222, "lat": 48.856613}
GEOCODER_ANSWER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [ADDRESS["lng"], ADDRESS["lat"]]},
            "properties": {"label": ADDRESS["label"], "score": 0.97},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.835659, 45.767299]},
            "properties": {"label": "Place de l’Hôtel de Ville 69001 Lyon", "score": 0.6},
        },
    ],
}

# Counts the mouse and pointer events the page receives (none may come).
COUNT_POINTER_EVENTS = """
window.umapPointerEvents = [];
for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown', 'pointerup', 'mousemove',
                    'pointermove', 'dblclick', 'contextmenu', 'wheel']) {
  window.addEventListener(type, (event) => {
    // A click from the keyboard (Enter or Space on a button) has no pointer: detail 0 and no
    // pointer type. Anything else came from a mouse, a pen or a finger.
    if (type === 'click' && event.detail === 0 && !event.pointerType) return;
    if (event.isTrusted) window.umapPointerEvents.push(type);
  }, true);
}
"""


@pytest.fixture
def home(transactional_db):
    return make_home("accueil-clavier")


@pytest.fixture
def keyboard_page(page):
    page.add_init_script(COUNT_POINTER_EVENTS)
    return page


def pointer_events(page) -> list[str]:
    return page.evaluate("window.umapPointerEvents || []")


def status(page) -> str:
    return page.locator(".umap-editor__status").inner_text()


def expect_status(page, text: str | re.Pattern) -> None:
    page.locator(".umap-editor__status", has_text=text).wait_for(timeout=TIMEOUT)


def active(page, expression: str):
    """Evaluate ``expression`` on the focused element (``el``)."""
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def press(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def tab_until(page, expression: str, limit: int = 15) -> None:
    """Press Tab until the focused element matches ``expression``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, expression):
            return
    raise AssertionError(f"Tab never reached {expression}")


def features(page) -> dict[str, dict]:
    """{name: geometry} of the first layer of the hidden document."""
    layer = hidden_document(page)["layers"][0]
    return {f["properties"].get("name", ""): f["geometry"] for f in layer["features"]}


def type_name(page, name: str) -> None:
    """The new feature's name field has the focus: type its name, Tab to commit it."""
    assert active(page, "el.dataset.focusKey") == "feature-name"
    page.keyboard.type(name)
    page.keyboard.press("Tab")


def save_draft_by_keyboard(page) -> None:
    page.wait_for_timeout(300)
    with page.expect_navigation(timeout=TIMEOUT):
        save_draft_button(page, keyboard=True).press("Enter")
    page.wait_for_url(MAP_EDIT_URL, timeout=TIMEOUT)
    wait_for_editor(page)


def test_a_map_drawn_moved_undone_saved_and_published_with_the_keyboard_only(
    keyboard_page, live_server, django_user_model, home, settings, watch, browser, screenshot, axe
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = keyboard_page
    searched = []

    def geocoder(route):
        searched.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(GEOCODER_ANSWER))

    page.route("https://data.geopf.fr/geocodage/**", geocoder)
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    page.locator("input[name=title]").fill("Centre-ville au clavier")
    page.locator("textarea[name=summary]").fill("La mairie, la rue principale et le parc.")

    # Leaflet's and Geoman's texts are French.
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoomer"
    help_text = page.locator(".umap-editor__keys").inner_text()
    assert "flèches" in help_text and "Entrée" in help_text

    # 1. A marker at an address: the site's geocoder (answered here), the result, then the
    #    crosshair's button.
    address = page.get_by_label("Adresse", exact=True)
    address.fill("hotel de ville paris")
    address.press("Enter")
    expect_status(page, "Adresses trouvées : 2")
    assert "q=hotel+de+ville+paris" in searched[0]
    tab_until(page, "el.classList.contains('umap-editor__search-result')")
    assert active(page, "el.textContent") == ADDRESS["label"]
    page.locator(".umap-editor__goto").evaluate("box => box.scrollIntoView({block: 'center'})")
    screenshot(page, "editor-keyboard-address")
    page.keyboard.press("Enter")
    expect_status(page, "Carte centrée sur Place de l’Hôtel de Ville")
    page.get_by_role("button", name="Placer un marqueur au viseur").press("Enter")
    expect_status(page, "Marqueur ajouté : latitude 48,85661")
    type_name(page, "Mairie")
    lng, lat = features(page)["Mairie"]["coordinates"]
    assert (lng, lat) == (ADDRESS["lng"], ADDRESS["lat"])

    # 2. A line: the tool's button moves the focus to the map, where the crosshair shows; the
    #    arrow keys pan, Enter places each vertex, Enter at the same place finishes.
    page.get_by_role("button", name="Tracer une ligne").press("Enter")
    assert active(page, "el.classList.contains('umap-editor__map')")
    expect_status(page, "Tracer une ligne : déplacez la carte avec les flèches")
    assert page.locator(".umap-editor__crosshair").is_visible()
    press(page, "ArrowLeft", 2)
    press(page, "Enter")
    expect_status(page, "Sommet 1 placé")
    press(page, "ArrowRight", 3)
    press(page, "Enter")
    expect_status(page, "Sommet 2 placé")
    press(page, "ArrowDown", 2)
    press(page, "Enter")
    expect_status(page, "Sommet 3 placé")
    # Backspace takes the last one back, Enter places it again.
    press(page, "Backspace")
    expect_status(page, "il en reste 2")
    press(page, "ArrowRight")
    press(page, "Enter")
    expect_status(page, "Sommet 3 placé")
    screenshot(page, "editor-keyboard-line")
    press(page, "Enter")  # the same place again: finished
    expect_status(page, "Ligne ajoutée")
    type_name(page, "Rue principale")
    assert features(page)["Rue principale"]["type"] == "LineString"
    assert len(features(page)["Rue principale"]["coordinates"]) == 3

    # Escape cancels a drawing and says so.
    page.get_by_role("button", name="Dessiner un polygone").press("Enter")
    press(page, "Enter")
    press(page, "Escape")
    expect_status(page, "Tracé annulé")
    assert len(features(page)) == 2

    # 3. A polygon from typed coordinates (a French decimal comma), then the finish button.
    latitude = page.locator(".umap-editor__goto").get_by_label("Latitude")
    latitude.fill("48,8530")
    longitude = page.locator(".umap-editor__goto").get_by_label("Longitude")
    longitude.fill("2.3499")
    longitude.press("Enter")
    expect_status(page, "Carte centrée sur latitude 48,853, longitude 2,3499")
    page.get_by_role("button", name="Dessiner un polygone").press("Enter")
    press(page, "Enter")
    press(page, "ArrowRight", 2)
    press(page, "Enter")
    press(page, "ArrowDown", 2)
    press(page, "Enter")
    expect_status(page, "Sommet 3 placé")
    page.get_by_role("button", name="Terminer la forme").press("Enter")
    expect_status(page, "Polygone ajouté : latitude 48,853, longitude 2,3499")
    type_name(page, "Parc")
    ring = features(page)["Parc"]["coordinates"][0]
    assert len(ring) == 4 and ring[0] == ring[-1]
    assert ring[0] == pytest.approx([2.3499, 48.853], abs=1e-6)
    # axe judges targets where they are now: the form under the map scrolled the map's top under
    # Wagtail's sticky header, as any scrolled content goes. Back in view, as a person scrolls.
    page.locator(".umap-editor__map").evaluate("map => map.scrollIntoView({block: 'start'})")
    violations = axe(page, ".umap-editor")
    assert violations == [], violations

    # 4. Move the marker: chosen in the list, its handle is the first stop in the map; the
    #    arrow keys move it (quick presses are one step of the history).
    page.locator(".umap-editor__feature-item", has_text="Mairie").press("Enter")
    expect_status(page, "Sélectionné : Mairie")
    page.locator(".umap-editor__map").focus()
    tab_until(page, "el.hasAttribute('data-umap-point-handle')")
    # Named as a button: the pin as the public map draws it (aria-label), or Leaflet's image.
    name = "el.getAttribute('aria-label') || el.getAttribute('alt')"
    assert active(page, name) == "Déplacer « Mairie » (flèches)"
    before = features(page)["Mairie"]["coordinates"]
    press(page, "ArrowRight", 3)
    expect_status(page, "Point déplacé")
    moved = features(page)["Mairie"]["coordinates"]
    assert moved[0] > before[0] and moved[1] == before[1]
    assert active(page, "el.hasAttribute('data-umap-point-handle')"), "focus kept on the handle"
    undo_label = page.locator(".umap-editor__toolbar button", has_text="Annuler")
    assert undo_label.get_attribute("aria-label").startswith("Annuler : Point déplacé")
    # And through the feature panel's fields.
    panel_latitude = page.locator(".umap-editor__position").get_by_label("Latitude")
    panel_latitude.fill("48,8570")
    panel_latitude.press("Enter")
    expect_status(page, "Point déplacé : latitude 48,857")
    assert features(page)["Mairie"]["coordinates"][1] == 48.857
    panel_latitude.fill("95")
    panel_latitude.press("Enter")
    assert "95 est hors de -90..90" in page.locator(".umap-editor__position").inner_text()
    assert features(page)["Mairie"]["coordinates"][1] == 48.857

    # 5. Move a vertex of the park: the vertices are named buttons on the map.
    page.locator(".umap-editor__feature-item", has_text="Parc").press("Enter")
    expect_status(page, "Sélectionné : Parc")
    page.locator(".umap-editor__map").focus()
    tab_until(page, "el.dataset.umapVertex === '1'")
    assert active(page, "el.getAttribute('aria-label')").startswith("Sommet 1 sur 3 de « Parc »")
    ring_before = features(page)["Parc"]["coordinates"][0]
    press(page, "ArrowUp", 2)
    expect_status(page, "Sommet 1 déplacé")
    ring_moved = features(page)["Parc"]["coordinates"][0]
    assert ring_moved[0][1] > ring_before[0][1] and ring_moved[-1] == ring_moved[0]
    assert active(page, "el.dataset.umapVertex") == "1"
    # The vertex list: named fields, one per coordinate.
    page.locator(".umap-editor__vertices summary").focus()
    vertex_list = page.locator(".umap-editor__vertices")
    assert vertex_list.get_by_label("Latitude du sommet 2").count() == 1
    vertex_list.get_by_label("Longitude du sommet 3").fill("2,3512")
    vertex_list.get_by_label("Longitude du sommet 3").press("Enter")
    expect_status(page, "Sommet 3 déplacé : latitude")
    assert features(page)["Parc"]["coordinates"][0][2][0] == 2.3512
    vertex_list.scroll_into_view_if_needed()
    screenshot(page, "editor-keyboard-vertices")

    # 6. Undo, by keyboard, from the map: the vertex typed, then the vertex moved.
    page.locator(".umap-editor__map").focus()
    press(page, "Control+z")
    expect_status(page, "Annulé : Sommet 3 déplacé")
    press(page, "Control+z")
    expect_status(page, "Annulé : Sommet 1 déplacé")
    assert features(page)["Parc"]["coordinates"][0] == ring_before
    drawn = features(page)

    # 7. Save the draft, then publish, by keyboard.
    save_draft_by_keyboard(page)
    map_ = Map.objects.get()
    stored = {
        f["properties"]["name"]: f["geometry"]
        for f in map_.full_document()["layers"][0]["features"]
    }
    assert stored == drawn
    publish(page, keyboard=True)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    map_.refresh_from_db()
    assert map_.live
    assert pointer_events(page) == []
    assert watch.console_errors == []
    assert watch.outside_requests == []

    # 8. The public map, by keyboard too: the marker opens its popup, every feature is listed.
    shown = page_showing(home, map_, "Centre-ville", "centre-ville")
    citizen_reads_it(browser, f"{live_server.url}{shown.url}")


def citizen_reads_it(browser, url: str) -> None:
    visitor_watch = PageWatch()
    with visitor_page(browser, visitor_watch) as visitor:
        visitor.add_init_script(COUNT_POINTER_EVENTS)
        section = open_map(visitor, url)
        names = section.locator(".umap-viewer__feature-name").all_inner_texts()
        assert sorted(names) == ["Mairie", "Parc", "Rue principale"]
        section.locator("[data-umap-map]").focus()
        tab_until(visitor, "el.classList.contains('umap-marker')")
        assert active(visitor, "el.getAttribute('aria-label')") == "Mairie"
        visitor.keyboard.press("Enter")
        title = section.locator(".umap-popup__title")
        title.wait_for(timeout=TIMEOUT)
        assert title.inner_text() == "Mairie"
        assert active(visitor, "el.classList.contains('umap-popup__title')")
        visitor.keyboard.press("Escape")
        assert active(visitor, "el.getAttribute('aria-label')") == "Mairie"
        # The line and the polygon: through the list's "Voir sur la carte".
        section.locator("button[data-umap-feature]", has_text="Parc").press("Enter")
        title.filter(has_text="Parc").wait_for(timeout=TIMEOUT)
        assert pointer_events(visitor) == []
        assert visitor_watch.console_errors == []
        assert visitor_watch.outside_requests == []


def test_closing_the_table_gives_the_focus_back_to_its_button(
    keyboard_page, live_server, django_user_model, home, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = keyboard_page
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    page.get_by_role("button", name="Placer un marqueur au viseur").press("Enter")
    type_name(page, "Mairie")
    table_button = page.get_by_role("button", name="Tableau : Calque 1")
    # Closed with Escape, then with its close button: the focus is back on "▦" each time.
    for close in ("Escape", "button"):
        table_button.press("Enter")
        region = page.locator(".umap-editor__table")
        region.wait_for(timeout=TIMEOUT)
        assert active(page, "el.closest('.umap-editor__table') !== null")
        if close == "Escape":
            page.keyboard.press("Escape")
        else:
            region.get_by_role("button", name="Fermer").first.press("Enter")
        assert region.is_hidden()
        assert active(page, "el.getAttribute('aria-label')") == "Tableau : Calque 1"
    assert pointer_events(page) == []


def test_a_video_asks_for_its_transcript_which_the_public_map_shows(
    keyboard_page, live_server, django_user_model, home, settings, browser
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = keyboard_page
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    page.locator("input[name=title]").fill("Visite")
    page.locator("textarea[name=summary]").fill("La visite commentée.")
    page.get_by_role("button", name="Placer un marqueur au viseur").press("Enter")
    type_name(page, "Mairie")
    video = page.locator(".umap-media__video")
    video.fill("https://www.youtube.com/watch?v=abcdefghijk")
    video.press("Enter")
    warning = page.locator("[data-umap-media=transcript] .umap-style__contrast--warning")
    warning.wait_for(timeout=TIMEOUT)
    assert "Pas encore de transcription" in warning.inner_text()
    transcript = page.get_by_label("Transcription de l’audio ou de la vidéo")
    assert transcript.get_attribute("aria-invalid") == "true"
    transcript.fill("Bienvenue à la mairie.\n\nElle date de 1890.")
    transcript.press("Tab")
    expect_status(page, "Médias modifiés")
    assert warning.is_hidden()
    media = hidden_document(page)["layers"][0]["features"][0]["properties"]["_media"]
    assert media["transcript"] == "Bienvenue à la mairie.\n\nElle date de 1890."

    save_draft_by_keyboard(page)
    publish(page, keyboard=True)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    map_ = Map.objects.get()
    shown = page_showing(home, map_, "Visite", "visite")
    with visitor_page(browser) as citizen:
        section = open_map(citizen, f"{live_server.url}{shown.url}")
        listed = section.locator(".umap-viewer__feature-transcript")
        assert "Elle date de 1890." in listed.inner_text()
        section.locator("button[data-umap-feature]").press("Enter")
        popup_transcript = section.locator(".umap-popup .umap-popup__transcript")
        popup_transcript.wait_for(state="attached", timeout=TIMEOUT)
        # Right after the video's player, one Enter away.
        assert popup_transcript.evaluate(
            "d => d.previousElementSibling.matches('[data-umap-video]')"
        )
        popup_transcript.locator("summary").press("Enter")
        assert "Bienvenue à la mairie." in popup_transcript.inner_text()
    assert pointer_events(page) == []


def test_a_conditional_style_added_by_keyboard_colours_the_public_map(
    keyboard_page, live_server, django_user_model, home, settings, browser, screenshot
):
    """A rule (uMap's ``rules``) from the layer panel, keyboard only: its missing property is
    refused with the rule's number, then the closed gymnasium turns red on the public map and
    the legend says why in words."""
    from tests.factories import layer, make_map, point

    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    map_ = make_map(
        "Équipements",
        layers=[
            layer(
                "Équipements",
                point(3.10, 47.00, "Mairie", statut="ouvert"),
                point(3.12, 47.01, "Gymnase", statut="fermé"),
            )
        ],
    )
    page = keyboard_page
    log_in_by_keyboard(
        page, live_server, django_user_model, f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
    )
    wait_for_editor(page)
    page.locator(".umap-editor__layer-details summary").press("Enter")
    rules = page.locator("[data-umap-data=rules]")
    rules.get_by_role("button", name="Ajouter une règle").press("Enter")
    expect_status(page, "Styles conditionnels modifiés")
    # The new rule starts on the first property with its first value; the focus is on it.
    assert active(page, "el.dataset.focusKey") == "dp-rule-0-field"
    assert active(page, "el.value") == "statut"
    rule = hidden_document(page)["layers"][0]["rules"][0]
    # Red: the first colour of the palette that is not the layer's (blue, the default).
    assert rule == {
        "field": "statut",
        "operator": "=",
        "value": "ouvert",
        "style": {"color": "#c0392b"},
    }
    # No property: refused where it is, with the rule's number, and said.
    press(page, "Control+A")
    press(page, "Backspace")
    press(page, "Enter")
    field = rules.get_by_label("Propriété testée")
    rules.locator("input[aria-invalid=true]").wait_for(timeout=TIMEOUT)
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{field.get_attribute('aria-errormessage')}")
    assert error.inner_text().startswith("Règle 1 : écrivez la propriété testée")
    assert hidden_document(page)["layers"][0]["rules"][0]["field"] == "statut"
    page.keyboard.type("statut")
    press(page, "Tab")  # commits, on to the test
    assert active(page, "el.dataset.focusKey") == "dp-rule-0-operator"
    press(page, "Tab")
    assert active(page, "el.dataset.focusKey") == "dp-rule-0-value"
    press(page, "Control+A")
    page.keyboard.type("fermé")
    press(page, "Tab")  # commits, on to the colour
    # The commit redraws the panel right after the Tab: wait for it, as the eye would, before
    # typing on (keys sent at machine speed could reach the field it replaces).
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].rules[0].value === 'fermé'",
        timeout=TIMEOUT,
    )
    assert active(page, "el.dataset.focusKey") == "dp-rule-0-color"
    rules.locator("[data-focus-key=dp-rule-0-color]").select_option("#c0392b")  # no pointer
    press(page, "Tab")
    page.keyboard.type("Fermé")
    press(page, "Enter")
    page.wait_for_function(
        "() => document.querySelector('input[name=document]').value.includes('Fermé')"
    )
    rule = hidden_document(page)["layers"][0]["rules"][0]
    assert rule == {
        "field": "statut",
        "operator": "=",
        "value": "fermé",
        "style": {"color": "#c0392b"},
        "label": "Fermé",
    }

    rules.evaluate("node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")
    screenshot(page, "editor-rules")
    save_draft_by_keyboard(page)
    publish(page, keyboard=True)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    shown = page_showing(home, map_, "Équipements", "equipements")
    with visitor_page(browser) as citizen:
        section = open_map(citizen, f"{live_server.url}{shown.url}")
        fill = '.umap-marker[aria-label="{}"] svg > :first-child'
        assert section.locator(fill.format("Gymnase")).get_attribute("fill") == "#c0392b"
        assert section.locator(fill.format("Mairie")).get_attribute("fill") != "#c0392b"
        legend = section.locator("[data-umap-legend]").filter(has_text="Fermé")
        assert "Fermé : rouge" in legend.inner_text()
        assert legend.locator("svg circle, svg path, svg rect").count() == 1  # a marker swatch
        assert legend.locator("svg line").count() == 0
    assert pointer_events(page) == []


def test_the_editor_names_features_by_the_layers_label_key(
    keyboard_page, live_server, django_user_model, home
):
    """A CSV's "Nom de l'équipement" stays that column and names the features (label_key): in
    the editor's list, its name field (which edits that column), and the layer's settings."""
    from tests.factories import make_map
    from wagtail_umap.formats import read_map_file

    csv_text = "Nom de l'équipement;commune;lat;lon\nPiscine;Dijon;47,3;5,0\n"
    imported = read_map_file("equipements.csv", csv_text.encode()).document
    layer = imported["layers"][0]
    assert layer["label_key"] == "Nom de l'équipement"
    map_ = make_map("Équipements", layers=[layer])
    page = keyboard_page
    log_in_by_keyboard(
        page, live_server, django_user_model, f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
    )
    wait_for_editor(page)
    item = page.locator(".umap-editor__feature-item")
    assert item.inner_text().startswith("Piscine")
    item.press("Enter")
    name = page.get_by_label("Nom", exact=True)
    assert name.input_value() == "Piscine"
    name.fill("Piscine olympique")
    name.press("Tab")
    expect_status(page, "Nom modifié")
    properties = hidden_document(page)["layers"][0]["features"][0]["properties"]
    assert properties == {"Nom de l'équipement": "Piscine olympique", "commune": "Dijon"}
    page.locator(".umap-editor__layer-details summary").press("Enter")
    assert page.get_by_label("Nom des éléments").input_value() == "Nom de l'équipement"
    assert pointer_events(page) == []


def test_unnamed_features_are_flagged_and_a_multipoint_is_edited_in_its_list(
    keyboard_page, live_server, django_user_model, home, settings, screenshot
):
    """RGAA 1.3 and 9.1 in the editor: the features the public map would call "Élément sans
    nom" are listed as a warning, each a button that selects it; a MultiPoint's points have
    their own list (coordinates, remove, add at the crosshair); the view has an <h1>."""
    from tests.factories import layer, make_map, point

    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    multipoint = {
        "type": "Feature",
        "geometry": {"type": "MultiPoint", "coordinates": [[2.35, 48.85], [2.36, 48.86]]},
        "properties": {},
    }
    map_ = make_map(
        "Bornes",
        layers=[layer("Bornes", point(2.34, 48.84, "Mairie"), point(2.33, 48.83, ""), multipoint)],
    )
    page = keyboard_page
    log_in_by_keyboard(
        page, live_server, django_user_model, f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
    )
    wait_for_editor(page)
    assert page.locator("h1").count() == 1
    warning = page.locator(".umap-editor__unnamed")
    assert warning.get_attribute("data-umap-unnamed") == "2"
    assert "Éléments sans nom : 2" in warning.inner_text()
    assert "« Élément sans nom n° N »" in warning.inner_text()
    warning.scroll_into_view_if_needed()
    screenshot(page, "editor-unnamed-warning")
    warning.get_by_role("button", name="Élément n° 3 (Points) : le nommer").press("Enter")
    points = page.locator(".umap-editor__vertices")
    points.wait_for(timeout=TIMEOUT)
    assert points.locator("summary").inner_text() == "Points (2)"
    add = points.get_by_role("button", name="Ajouter un point au viseur après le point 1")
    add.press("Enter")
    expect_status(page, "Point 2 ajouté au viseur")
    points.scroll_into_view_if_needed()
    screenshot(page, "editor-multipoint-list")
    coordinates = hidden_document(page)["layers"][0]["features"][2]["geometry"]["coordinates"]
    assert len(coordinates) == 3 and coordinates[2] == [2.36, 48.86]
    page.get_by_role("button", name="Supprimer le point 3").press("Enter")
    expect_status(page, "Point 3 supprimé")
    geometry = hidden_document(page)["layers"][0]["features"][2]["geometry"]
    assert len(geometry["coordinates"]) == 2
    # Named, the feature leaves the warning.
    name = page.locator("[data-focus-key=feature-name]")
    name.focus()
    page.keyboard.type("Bornes de recharge")
    page.keyboard.press("Tab")
    page.locator(".umap-editor__unnamed[data-umap-unnamed='1']").wait_for(timeout=TIMEOUT)

    # The language of the data, in the layer's settings (RGAA 8.7): a bad tag is refused next
    # to its field and not kept; a good one is.
    settings_ = page.locator(".umap-editor__layer-details")
    if not settings_.evaluate("(details) => details.open"):
        settings_.locator("summary").focus()
        page.keyboard.press("Enter")
    language = page.get_by_label("Langue des données")
    language.focus()
    page.keyboard.type("en_US")
    page.keyboard.press("Tab")
    assert language.get_attribute("aria-invalid") == "true"
    assert page.get_by_role("alert").filter(has_text="Ce n’est pas un code de langue").is_visible()
    assert "language" not in hidden_document(page)["layers"][0]
    language.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("en")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].language === 'en'",
        timeout=TIMEOUT,
    )
    assert language.get_attribute("aria-invalid") != "true"
    assert pointer_events(page) == []
