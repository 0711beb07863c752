"""A map page's map edited right in the page's editor (issue 19), by keyboard: "Modifier la
carte ici" opens the map's editor in the panel; a place renamed and saved there is a draft of
the map, while the page's editor stays open with what was typed in it; publishing the page then
publishes the map with it, and the public page shows the new name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import (
    EDITOR_READY,
    TIMEOUT,
    log_in_by_keyboard,
    open_map,
    publish_page_with_its_map,
    visitor_page,
)
from tests.browser.test_keyboard_editor import (
    COUNT_POINTER_EVENTS,
    expect_status,
    pointer_events,
)
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models import Map, MapPage
from wagtail_umap.models.store import full_document

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]

FRAME = "iframe.umap-map-on-page__iframe"


def place_names(document: dict) -> list[str]:
    return [
        feature["properties"].get("name", "")
        for map_layer in full_document(document)["layers"]
        for feature in map_layer["features"]
    ]


def focus_is_in_frame(page) -> bool:
    return page.evaluate("document.activeElement?.matches('iframe.umap-map-on-page__iframe')")


def test_edit_the_map_inside_the_page_editor_then_publish_both(
    page, live_server, django_user_model, settings, watch, screenshot, axe, browser
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page.add_init_script(COUNT_POINTER_EVENTS)
    home = make_home("accueil-carte-en-ligne")
    map_ = make_map("Fête de la musique", layers=[layer("Scènes", point(2.35, 48.85, "Scène"))])
    map_page = home.add_child(instance=MapPage(title="Fête", slug="fete-en-ligne", map=map_))
    map_page.save_revision().publish()
    page_edit = reverse("wagtailadmin_pages:edit", args=[map_page.pk])
    log_in_by_keyboard(page, live_server, django_user_model, page_edit)

    # Something typed in the page first: it must survive the map's save.
    page.locator("#id_title").fill("Fête de la musique 2026")

    # "Modifier la carte ici" opens the map's editor in the panel, titled, reached by Tab.
    panel = page.locator("[data-umap-map-on-page]")
    panel.get_by_role("button", name="Modifier la carte ici").press("Enter")
    toggle = panel.locator("[data-umap-inline-map-target=toggle]")
    assert toggle.get_attribute("aria-expanded") == "true"
    frame_element = panel.locator(FRAME)
    assert frame_element.get_attribute("title") == "Carte : Fête de la musique — éditeur"
    editor = page.frame_locator(FRAME)
    editor.locator(EDITOR_READY).wait_for(timeout=2 * TIMEOUT)
    assert toggle.inner_text() == "Fermer l’éditeur de la carte"
    toggle.focus()
    page.keyboard.press("Tab")  # "Modifier la carte dans son éditeur complet", then the frame
    page.keyboard.press("Tab")
    assert focus_is_in_frame(page)

    # A place renamed by keyboard in the framed editor.
    editor.locator(".umap-editor__feature-item", has_text="Scène").press("Enter")
    expect_status(editor, "Sélectionné : Scène")
    name = editor.get_by_label("Nom", exact=True)
    name.fill("Grande scène")
    name.press("Tab")

    # The framed editor has no admin around it, and focus leaves it after its last control.
    frame = frame_element.element_handle().content_frame()
    assert frame.locator("#wagtail-sidebar, .w-slim-header").count() == 0
    save = editor.get_by_role("button", name="Enregistrer le brouillon de la carte")
    save.focus()  # its last control
    page.keyboard.press("Tab")
    assert not focus_is_in_frame(page)

    # Its own "Enregistrer le brouillon": a draft of the map, and the panel says so.
    save.press("Enter")
    saved = panel.locator("[role=status]", has_text="Brouillon de la carte enregistré")
    saved.wait_for(timeout=3 * TIMEOUT)
    stored = Map.objects.get(pk=map_.pk)
    assert place_names(stored.latest_revision.content["document"]) == ["Grande scène"]
    assert stored.live and stored.has_unpublished_changes
    assert place_names(stored.document) == ["Scène"]  # visitors still see the published map

    # The page's editor never left: same URL, the typed title still there, the offer now made.
    assert page.url.endswith(page_edit)
    assert page.locator("#id_title").input_value() == "Fête de la musique 2026"
    assert "a des modifications que les visiteurs ne voient pas encore" in panel.inner_text()
    offer = panel.get_by_label("Quand je publie la page, publier aussi la carte")
    assert offer.is_checked()

    # axe on the framed editor, then on the page's panel around it (the frame included).
    editor.locator(EDITOR_READY).wait_for(timeout=TIMEOUT)
    # The whole frame in view, its save bar above the page's.
    frame_element.evaluate("frame => frame.scrollIntoView({block: 'end'})")
    page.evaluate("window.scrollBy(0, 80)")
    screenshot(page, "map-page-inline-editor")
    frame = frame_element.element_handle().content_frame()
    assert axe(frame, "body") == []
    assert axe(page, "[data-umap-map-on-page]") == []

    # Publish the page (Wagtail's dropdown, by keyboard): the map is published with it.
    publish_page_with_its_map(page)
    stored = Map.objects.get(pk=map_.pk)
    assert stored.live and not stored.has_unpublished_changes
    assert MapPage.objects.get(pk=map_page.pk).title == "Fête de la musique 2026"

    # The public page shows the renamed place.
    with visitor_page(browser) as visitor:
        section = open_map(visitor, f"{live_server.url}/fete-en-ligne/")
        text = section.inner_text()
        assert "Grande scène" in text and "Scène\n" not in text
    assert pointer_events(page) == []
    watch.assert_clean()


def test_a_new_map_page_creates_its_map_and_edits_it_in_place(
    page, live_server, django_user_model, settings, watch
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    home = make_home("accueil-nouvelle-carte-en-ligne")
    map_page = home.add_child(instance=MapPage(title="Brocante", slug="brocante"))
    page_edit = reverse("wagtailadmin_pages:edit", args=[map_page.pk])
    log_in_by_keyboard(page, live_server, django_user_model, page_edit)
    panel = page.locator("[data-umap-map-on-page]")
    assert "Pas encore de carte" in panel.inner_text()
    assert not panel.locator("[data-umap-inline-map-target=toggle]").is_visible()

    # The chooser's "Nouvelle carte" makes the map; its editor opens in the panel at once.
    page.locator("[data-chooser-action-choose]").first.press("Enter")
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Nouvelle carte").press("Enter")
    modal.get_by_label("Titre").fill("Brocante du quartier")
    modal.get_by_label("Résumé").fill("Les stands, le 3 mai.")
    modal.get_by_role("button", name="Nouvelle carte").press("Enter")
    # The map made, then the chooser's answer: a loaded machine takes a while for both.
    modal.wait_for(state="hidden", timeout=3 * TIMEOUT)
    frame_element = panel.locator(FRAME)
    frame_element.wait_for(timeout=TIMEOUT)
    assert frame_element.get_attribute("title") == "Carte : Brocante du quartier — éditeur"
    editor = page.frame_locator(FRAME)
    editor.locator(EDITOR_READY).wait_for(timeout=2 * TIMEOUT)

    # Saved there, the new map is a draft; the offer names what publishing the page does.
    editor.get_by_role("button", name="Enregistrer le brouillon de la carte").press("Enter")
    panel.locator("[role=status]", has_text="Brouillon de la carte enregistré").wait_for(
        timeout=3 * TIMEOUT
    )
    new_map = Map.objects.get(title="Brocante du quartier")
    assert new_map.revisions.count() == 2 and not new_map.live
    assert "n’est pas publiée" in panel.inner_text()
    offer = panel.locator("input[name=umap_publish_map]")
    assert offer.get_attribute("value") == "publish" and offer.is_checked()

    publish_page_with_its_map(page)
    assert Map.objects.get(pk=new_map.pk).live
    assert MapPage.objects.get(pk=map_page.pk).map_id == new_map.pk
    watch.assert_clean()
