"""“Nouvelle carte” in the map chooser of a page, by keyboard: the map is made where it is
used and comes back chosen; the add view offers the starting points."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import (
    MAP_ADD_URL,
    TIMEOUT,
    log_in_by_keyboard,
    publish_page_with_its_map,
    wait_for_editor,
)
from tests.browser.test_first_map import focus_by_tab
from tests.browser.test_keyboard_editor import COUNT_POINTER_EVENTS, pointer_events
from tests.factories import make_home
from wagtail_umap.models import Map, MapPage

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_map_from_the_page_editor_chooser(
    page, live_server, django_user_model, watch, screenshot, axe
):
    page.add_init_script(COUNT_POINTER_EVENTS)
    home = make_home("accueil-chooser")
    map_page = home.add_child(instance=MapPage(title="Fête de la musique", slug="fete"))
    edit = reverse("wagtailadmin_pages:edit", args=[map_page.pk])
    log_in_by_keyboard(page, live_server, django_user_model, edit)

    choose = page.locator("[data-chooser-action-choose]").first
    focus_by_tab(page, choose, limit=200)
    page.keyboard.press("Enter")
    modal = page.locator(".modal-dialog")
    tab = modal.get_by_role("tab", name="Nouvelle carte")
    tab.wait_for(timeout=TIMEOUT)
    tab.focus()
    page.keyboard.press("Enter")
    modal.get_by_label("Titre").fill("Fête de la musique")
    modal.get_by_label("Résumé").fill("Les scènes de la ville, le 21 juin.")
    assert modal.get_by_label("Événement : lieux avec photo").is_checked()
    screenshot(page, "chooser-new-map")
    assert axe(page, ".modal-dialog") == []
    modal.get_by_label("Résumé").focus()
    focus_by_tab(page, modal.get_by_role("button", name="Nouvelle carte"), limit=10)
    page.keyboard.press("Enter")

    # The modal closes with the new map chosen in the page's field.
    modal.wait_for(state="hidden", timeout=TIMEOUT)
    chosen = page.locator("[data-chooser-title]").first
    assert chosen.inner_text().strip() == "Fête de la musique"
    new_map = Map.objects.get(title="Fête de la musique")
    assert not new_map.live
    assert new_map.layers[0]["name"] == "Lieux de l’événement"

    # The page, published, takes its new map (a draft) online with it: the offer is ticked.
    offer = page.locator("input[name=umap_publish_map]")
    assert offer.is_checked() and offer.get_attribute("value") == "auto"
    publish_page_with_its_map(page)
    assert Map.objects.get(pk=new_map.pk).live
    assert MapPage.objects.get(pk=map_page.pk).live
    assert pointer_events(page) == []
    watch.assert_clean()


def test_the_add_view_starts_from_a_model_by_keyboard(
    page, live_server, django_user_model, watch, screenshot
):
    make_home("accueil-modeles")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    polling = page.get_by_role("link", name="Bureaux de vote")
    polling.focus()
    with page.expect_navigation(timeout=TIMEOUT):
        page.keyboard.press("Enter")
    wait_for_editor(page)
    assert page.get_by_role("link", name="Bureaux de vote").get_attribute("aria-current")
    assert page.locator(".umap-editor").get_by_text("Bureaux de vote").first.is_visible()
    screenshot(page, "editor-starting-points")
    watch.assert_clean()
