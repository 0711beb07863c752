"""The visual map editor in the Wagtail admin, driven as a new editor would drive it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.admin.views.generic import mixins as wagtail_mixins

from tests.browser.fixtures import PageWatch
from tests.browser.helpers import (
    MAP_ADD_URL,
    MAP_PUBLISHED_URL,
    PASSWORD,
    TIMEOUT,
    USERNAME,
    hidden_document,
    log_in,
    log_in_as_editor,
    open_map,
    page_showing,
    publish,
    save_draft,
    visitor_page,
    wait_for_editor,
)
from tests.factories import make_home
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"  # uMap's own files (see there)


def fixture_path(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture
def home(transactional_db):
    return make_home("accueil-editeur")


@pytest.fixture
def editor(page, live_server, django_user_model, home, settings):
    """The ``page`` fixture, logged in, on the new map form with the editor ready.

    Wagtail's autosave is off here so that each step's timing is the test's own (autosave has
    its own test below)."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    return page


def map_box(page):
    """The map's box, scrolled to the top of the window: Wagtail's sticky footer (Save draft)
    covers the bottom of the window, and a click there would save the form."""
    page.locator(".umap-editor__map").evaluate("map => map.scrollIntoView({block: 'start'})")
    return page.locator(".umap-editor__map").bounding_box()


def click_map(page, *points: tuple[float, float]) -> None:
    """Click at fractions (x, y) of the editor's map."""
    box = map_box(page)
    for x, y in points:
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        page.wait_for_timeout(120)


def draw(page, button_label: str, *points: tuple[float, float]) -> None:
    page.get_by_role("button", name=button_label).click()
    click_map(page, *points)


def name_selected(page, name: str) -> None:
    field = page.get_by_label("Nom", exact=True)
    field.fill(name)
    field.press("Tab")


def layer_features(document: dict) -> dict[str, list[tuple[str, str]]]:
    """{layer name: [(feature name, geometry type)]} of a full document."""
    return {
        layer["name"]: [
            (feature["properties"].get("name", ""), feature["geometry"]["type"])
            for feature in layer["features"]
        ]
        for layer in document["layers"]
    }


def test_draw_name_layer_move_undo_import_save_publish_and_see_it(
    editor, watch, live_server, browser, home, screenshot
):
    page = editor
    page.fill("input[name=title]", "Centre-ville")
    page.fill("textarea[name=summary]", "La mairie, la rue principale et le parc.")

    draw(page, "Ajouter un marqueur", (0.35, 0.35))
    name_selected(page, "Mairie")
    draw(page, "Tracer une ligne", (0.3, 0.6), (0.5, 0.65))
    page.get_by_role("button", name="Terminer la forme").click()
    name_selected(page, "Rue principale")
    draw(page, "Dessiner un polygone", (0.6, 0.2), (0.8, 0.2), (0.8, 0.45))
    page.get_by_role("button", name="Terminer la forme").click()
    name_selected(page, "Parc")
    assert layer_features(hidden_document(page)) == {
        "Calque 1": [("Mairie", "Point"), ("Rue principale", "LineString"), ("Parc", "Polygon")]
    }

    # A second layer, and the town hall moves into it (from the list, by keyboard-reachable
    # buttons and a select).
    page.get_by_role("button", name="Ajouter un calque").click()
    layer_name = page.get_by_label("Nom du calque")
    layer_name.fill("Services publics")
    layer_name.press("Tab")
    page.get_by_role("button", name=re.compile("^Calque 1")).click()
    # Selected from the list by keyboard.
    page.locator(".umap-editor__feature-item", has_text="Mairie").focus()
    page.keyboard.press("Enter")
    assert page.get_by_label("Nom", exact=True).input_value() == "Mairie"
    page.get_by_label("Calque", exact=True).select_option(label="Services publics")
    moved = {
        "Calque 1": [("Rue principale", "LineString"), ("Parc", "Polygon")],
        "Services publics": [("Mairie", "Point")],
    }
    assert layer_features(hidden_document(page)) == moved

    # Undo puts it back, redo moves it again (buttons, then keyboard).
    page.locator(".umap-editor__map").focus()
    page.keyboard.press("Control+z")
    assert layer_features(hidden_document(page))["Services publics"] == []
    expect_status(page, "Annulé")
    page.get_by_role("button", name=re.compile("^Rétablir")).click()
    assert layer_features(hidden_document(page)) == moved

    # Reorder by keyboard buttons, and undo it.
    page.get_by_role("button", name="Monter : Services publics").click()
    assert [layer["name"] for layer in hidden_document(page)["layers"]] == [
        "Services publics",
        "Calque 1",
    ]
    page.get_by_role("button", name=re.compile("^Annuler")).click()
    assert [layer["name"] for layer in hidden_document(page)["layers"]] == [
        "Calque 1",
        "Services publics",
    ]

    # Import the uMap test file into a new layer.
    page.locator(".umap-editor__file").set_input_files(str(fixture_path("test_upload_data.json")))
    expect_status(page, "importés")
    imported = layer_features(hidden_document(page))
    assert len(imported) == 3
    assert sum(len(features) for features in imported.values()) == 3 + 5
    page.locator(".umap-editor").scroll_into_view_if_needed()
    screenshot(page, "editor")

    save_draft(page)
    map_ = Map.objects.get()
    assert not map_.live
    drawn = layer_features(map_.full_document())
    assert drawn == imported
    # The editor reloads with what was saved; the unchanged layers travel as references.
    assert all("data" in layer for layer in hidden_document(page)["layers"])
    assert layer_features(page_document(page)) == imported

    # Wagtail's preview panel posts the form; its page shows the draft with what was drawn.
    # (Opened in a tab: the example site's CSP, frame-ancestors 'none', keeps it out of the
    # panel's iframe.)
    page.locator("[data-side-panel-toggle=preview]").first.click()
    iframe = page.locator("#w-preview-iframe")
    page.wait_for_function(
        "() => (document.querySelector('#w-preview-iframe') || {}).src", timeout=TIMEOUT
    )
    preview = page.context.new_page()
    open_map(preview, iframe.get_attribute("src").replace("in_preview_panel=true", ""))
    points = sum(1 for f in drawn.values() for _, kind in f if kind == "Point")
    assert preview.locator(".umap-marker").count() == points
    assert set(preview.locator(".umap-viewer__layer-title").all_inner_texts()) == set(drawn)
    preview.close()
    watch.console_errors[:] = [e for e in watch.console_errors if "frame-ancestors" not in e]

    publish(page)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    map_.refresh_from_db()
    assert map_.live
    assert watch.console_errors == []
    assert watch.outside_requests == []

    shown = page_showing(home, map_, "Centre-ville", "centre-ville")
    visitor_sees(browser, f"{live_server.url}{shown.url}", drawn)


def expect_status(page, text: str) -> None:
    page.locator(".umap-editor__status", has_text=text).wait_for(timeout=TIMEOUT)


def page_document(page) -> dict:
    """The document the editor shows (its state), in full form."""
    return page.evaluate(
        "JSON.parse(JSON.stringify(document.querySelector('.umap-editor').umapEditor.state.doc))"
    )


def visitor_sees(browser, url: str, drawn: dict) -> None:
    """An anonymous visitor's page lists exactly the drawn layers and features, and the map
    shows one marker per point."""
    visitor_watch = PageWatch()
    with visitor_page(browser, visitor_watch) as visitor:
        section = open_map(visitor, url)
        listed = {}
        for layer in section.locator(".umap-viewer__layer").all():
            title = layer.locator(".umap-viewer__layer-title").inner_text()
            listed[title] = sorted(layer.locator(".umap-viewer__feature-name").all_inner_texts())
        expected = {
            name: sorted(feature or "" for feature, _ in features)
            for name, features in drawn.items()
        }
        assert {k: [n for n in v] for k, v in listed.items()}.keys() == expected.keys()
        for name, names in expected.items():
            assert [n for n in listed[name] if n in names] == [n for n in names if n], name
        points = sum(1 for f in drawn.values() for _, kind in f if kind == "Point")
        assert section.locator(".umap-marker").count() == points
        assert visitor_watch.console_errors == []
        assert visitor_watch.outside_requests == []


def test_editor_mounts_and_draws_a_marker(editor, watch, screenshot, axe):
    page = editor
    draw(page, "Ajouter un marqueur", (0.5, 0.5))
    name = page.get_by_label("Nom", exact=True)
    name.wait_for(timeout=TIMEOUT)
    name.fill("Mairie")
    name.press("Tab")
    document = hidden_document(page)
    assert [f["properties"].get("name") for f in document["layers"][0]["features"]] == ["Mairie"]
    screenshot(page, "editor-new-marker")
    assert watch.console_errors == []
    violations = axe(page, ".umap-editor")
    print(violations)
    assert violations == []


def drop_file(page, name: str, content: str) -> None:
    """Drop a file on the editor's map, as the browser does when a file is dragged onto it."""
    page.evaluate(
        """([name, content]) => {
            const box = document.querySelector('.umap-editor__map-box');
            const transfer = new DataTransfer();
            transfer.items.add(new File([content], name, {type: 'application/json'}));
            for (const type of ['dragenter', 'dragover', 'drop']) {
                box.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true,
                                                       cancelable: true}));
            }
        }""",
        [name, content],
    )


def test_an_invalid_file_dropped_shows_its_located_error_and_changes_nothing(
    editor, watch, screenshot
):
    page = editor
    draw(page, "Ajouter un marqueur", (0.5, 0.5))
    name_selected(page, "Mairie")
    before = page.locator("input[name=document]").input_value()
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "École du Nord"},
                "geometry": {"type": "Point", "coordinates": [2.35, 95]},
            }
        ],
    }
    drop_file(page, "ecoles.geojson", json.dumps(bad))
    errors = page.locator(".umap-editor__errors")
    errors.filter(has_text="95").wait_for(timeout=TIMEOUT)
    assert "ecoles.geojson" in errors.inner_text()
    assert "Le fichier n’a pas été importé" in errors.inner_text()
    assert page.locator("input[name=document]").input_value() == before
    assert page.locator(".umap-editor__layer").count() == 1
    errors.scroll_into_view_if_needed()
    screenshot(page, "editor-import-error")
    assert watch.outside_requests == []


def test_a_map_locked_by_someone_else_cannot_be_edited(
    page, live_server, django_user_model, home, screenshot
):
    from django.utils import timezone

    from tests.factories import make_map

    owner = django_user_model.objects.create_superuser("alice", "a@example.org", "pw-alice")
    django_user_model.objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    map_ = make_map("Marché")
    map_.locked, map_.locked_by, map_.locked_at = True, owner, timezone.now()
    map_.save()
    stored = map_.document
    url = f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
    log_in(page, live_server, url)
    wait_for_editor(page)
    assert page.get_by_text("Cette carte est verrouillée").is_visible()
    assert page.get_by_role("button", name="Ajouter un marqueur").is_disabled()
    assert page.locator(".umap-editor__file").is_disabled()
    screenshot(page, "editor-locked")
    # Even a forged save is refused by Wagtail: the map keeps its content.
    page.evaluate(
        "document.querySelector('input[name=document]').value = JSON.stringify({layers: []})"
    )
    save = page.locator("button[name=action-publish], footer button[type=submit]").first
    if save.count() and save.is_enabled():
        save.click(force=True)
        page.wait_for_load_state()
    map_.refresh_from_db()
    assert map_.document == stored


def test_comparing_two_revisions_tells_the_changes_in_words(
    page, live_server, django_user_model, home
):
    from tests.factories import make_map, point

    django_user_model.objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    map_ = make_map("Écoles", layers=[{"name": "Écoles", "features": [point(2.35, 48.85, "A")]}])
    first = map_.latest_revision
    document = map_.full_document()
    document["layers"][0]["features"].append(point(2.36, 48.86, "École Jules Ferry"))
    document["layers"].append({"name": "Collèges", "features": [point(2.4, 48.9, "Collège B")]})
    map_.set_document(document)
    second = map_.save_revision()
    url = reverse(
        "wagtailsnippets_wagtail_umap_map:revisions_compare",
        args=[map_.pk, first.pk, second.pk],
    )
    log_in(page, live_server, "/admin/")
    page.goto(f"{live_server.url}{url}")
    text = page.locator(".umap-compare").inner_text()
    assert "Calque « Écoles » : 1 élément ajouté : « École Jules Ferry »." in text
    assert "Calque « Collèges » ajouté en position 2, avec 1 élément : « Collège B »." in text
    assert "digest" not in text


# Wagtail's autosave came after 7.0: the edit views then read WAGTAIL_AUTOSAVE_INTERVAL.
WAGTAIL_AUTOSAVES = "WAGTAIL_AUTOSAVE_INTERVAL" in Path(wagtail_mixins.__file__).read_text()


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_autosave_stores_the_drawing_and_keeps_the_editor_as_it_is(
    page, live_server, django_user_model, home
):
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    page.evaluate("window.sameDocument = true")
    page.wait_for_timeout(2500)  # Wagtail takes the form's initial state 2 s after load
    # The marker first: the autosave that creates the map (once it has a title) carries it.
    # (A change made while that first autosave is on its way is save.js's
    # keepChangesMadeInFlight's to say again; Wagtail's own snapshot would count it as saved.)
    draw(page, "Ajouter un marqueur", (0.5, 0.5))
    page.fill("input[name=title]", "Autosauvegarde")
    page.fill("textarea[name=summary]", "Un marqueur.")
    # Wagtail's autosave creates the map, the address becomes the edit view's, the page stays.
    page.wait_for_function("() => location.pathname.includes('/map/edit/')", timeout=3 * TIMEOUT)
    assert page.evaluate("window.sameDocument") is True
    assert page.locator("#id_document-feature-name").count() == 1
    # The later autosave (the marker) reaches the map's latest revision (within 30 s: CI
    # machines can be slow, and the loop ends as soon as it is there).
    counts = []
    for _ in range(120):
        map_ = Map.objects.filter(title="Autosauvegarde").first()
        revision = map_ and map_.latest_revision
        if revision is not None:
            layers = revision.content["document"]["layers"]
            counts = [layer["data"]["feature_count"] for layer in layers]
            if counts:
                break
        page.wait_for_timeout(250)
    assert counts == [1]
