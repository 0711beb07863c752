"""A map page's map, edited from the page's editor and published with the page (issue 19), by
keyboard only: "Modifier la carte" opens the map editor, which comes back to the page after a
save; publishing the page then offers to publish the map, and the public page shows the change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import (
    TIMEOUT,
    log_in_by_keyboard,
    open_map,
    publish_page_with_its_map,
    save_draft_button,
    visitor_page,
    wait_for_editor,
)
from tests.browser.test_keyboard_editor import (
    COUNT_POINTER_EVENTS,
    expect_status,
    pointer_events,
)
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models import Map, MapPage

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]


def test_edit_the_map_of_a_map_page_then_publish_both(
    page, live_server, django_user_model, settings, watch, screenshot, axe, browser
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page.add_init_script(COUNT_POINTER_EVENTS)
    home = make_home("accueil-page-carte")
    map_ = make_map("Fête de la musique", layers=[layer("Scènes", point(2.35, 48.85, "Scène"))])
    map_page = home.add_child(
        instance=MapPage(title="Fête de la musique", slug="fete-page", map=map_)
    )
    map_page.save_revision().publish()
    page_edit = reverse("wagtailadmin_pages:edit", args=[map_page.pk])
    log_in_by_keyboard(page, live_server, django_user_model, page_edit)

    # Under the map's chooser: what the site shows of it, and the way to edit it.
    panel = page.locator("[data-umap-map-on-page]")
    assert "est publiée : la page la montre telle qu’elle est" in panel.inner_text()
    assert panel.locator("input[name=umap_publish_map]").count() == 0
    with page.expect_navigation(timeout=TIMEOUT):
        panel.get_by_role("link", name="Modifier la carte").press("Enter")

    # The map's editor: a place renamed, then "Enregistrer le brouillon" comes back to the page.
    wait_for_editor(page)
    page.locator(".umap-editor__feature-item", has_text="Scène").press("Enter")
    expect_status(page, "Sélectionné : Scène")
    name = page.get_by_label("Nom", exact=True)
    name.fill("Grande scène")
    name.press("Tab")
    with page.expect_navigation(timeout=3 * TIMEOUT):
        save_draft_button(page, keyboard=True).press("Enter")
    page.wait_for_url(f"**{page_edit}", timeout=TIMEOUT)
    assert Map.objects.get(pk=map_.pk).has_unpublished_changes

    # The page's editor says the map has changes visitors do not see, and offers to publish it.
    panel = page.locator("[data-umap-map-on-page]")
    assert "a des modifications que les visiteurs ne voient pas encore" in panel.inner_text()
    offer = panel.get_by_label("Quand je publie la page, publier aussi la carte")
    assert offer.is_checked()
    panel.evaluate("panel => panel.scrollIntoView({block: 'center'})")
    assert axe(page, "[data-umap-map-on-page]") == []
    screenshot(page, "map-page-publish-offer")

    # Publish the page (Wagtail's dropdown, by keyboard): the map is published with it.
    publish_page_with_its_map(page)
    assert (
        "Carte « Fête de la musique » publiée avec la page."
        in page.locator(".messages").inner_text()
    )
    stored = Map.objects.get(pk=map_.pk)
    assert stored.live and not stored.has_unpublished_changes
    assert MapPage.objects.get(pk=map_page.pk).live

    # The public page shows the renamed place.
    with visitor_page(browser) as visitor:
        section = open_map(visitor, f"{live_server.url}/fete-page/")
        text = section.inner_text()
        assert "Grande scène" in text and "Scène\n" not in text
    assert pointer_events(page) == []
    watch.assert_clean()
