"""The slideshow (Chromium): steps walked by keyboard, announced, kept in the URL; no autoplay
and no flight under prefers-reduced-motion."""

from __future__ import annotations

import pytest

from tests.browser.fixtures import route_request
from tests.browser.helpers import TIMEOUT, open_map, status_text
from wagtail_umap.models import MapPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("viz_demo")]


def steps():
    features = MapPage.objects.get(slug="patrimoine").map.full_document()["layers"][0]["features"]
    return [
        f["properties"]["name"] for f in sorted(features, key=lambda f: f["properties"]["ordre"])
    ]


def test_slideshow_walks_the_steps_by_keyboard(page, watch, live_server, axe, screenshot):
    names = steps()
    section = open_map(page, live_server.url + "/patrimoine/")
    panel = section.locator("[data-umap-slideshow-panel]")
    counter = panel.locator("[data-umap-slideshow-counter]")
    assert counter.inner_text() == f"Étape 1 sur {len(names)} : {names[0]}"
    next_button = panel.get_by_role("button", name="Étape suivante")
    next_button.focus()
    page.keyboard.press("Enter")
    assert counter.inner_text() == f"Étape 2 sur {len(names)} : {names[1]}"
    assert status_text(section) == f"Étape 2 sur {len(names)} : {names[1]}"  # announced
    assert "patrimoine" in page.url and ".step=2" in page.url
    page.keyboard.press("ArrowRight")
    assert counter.inner_text().startswith("Étape 3 sur")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"Étape 1 sur {len(names)} : {names[0]}"
    page.keyboard.press("ArrowLeft")  # before the first: the last
    assert counter.inner_text().startswith(f"Étape {len(names)} sur")
    # The step's text is in the panel, its description as cleaned HTML.
    assert panel.locator(".umap-slideshow__content .umap-popup__title").inner_text() == names[-1]
    # Let the flight to the step end before looking at the page.
    page.wait_for_timeout(1500)  # a flight lasts 1 s
    screenshot(page, "viz-slideshow")
    assert axe(page) == []
    # The URL brings back the step.
    page.goto(page.url)
    section = open_map(page, page.url)
    assert (
        section.locator("[data-umap-slideshow-counter]")
        .inner_text()
        .startswith(f"Étape {len(names)} sur")
    )
    watch.assert_clean()


def test_play_and_pause(page, watch, live_server):
    map_ = MapPage.objects.get(slug="patrimoine").map
    document = map_.full_document()
    document["options"]["slideshow"]["delay"] = 1
    map_.set_document(document)
    map_.save()
    map_.save_revision().publish()
    section = open_map(page, live_server.url + "/patrimoine/")
    panel = section.locator("[data-umap-slideshow-panel]")
    panel.get_by_role("button", name="Lancer le diaporama").click()
    panel.get_by_role("button", name="Mettre le diaporama en pause").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-umap-slideshow-panel]').dataset.umapStep === '3'",
        timeout=TIMEOUT,
    )
    panel.get_by_role("button", name="Mettre le diaporama en pause").click()
    step = panel.get_attribute("data-umap-step")
    page.wait_for_timeout(1500)
    assert panel.get_attribute("data-umap-step") == step
    watch.assert_clean()


def test_no_autoplay_under_reduced_motion(browser, watch, live_server):
    map_ = MapPage.objects.get(slug="patrimoine").map
    document = map_.full_document()
    document["options"]["slideshow"].update(autoplay=True, delay=1)
    map_.set_document(document)
    map_.save()
    map_.save_revision().publish()
    context = browser.new_context(locale="fr-FR", reduced_motion="reduce")
    context.route("**/*", lambda route: route_request(route, watch))
    page = context.new_page()
    section = open_map(page, live_server.url + "/patrimoine/")
    page.wait_for_timeout(2500)
    panel = section.locator("[data-umap-slideshow-panel]")
    assert panel.get_attribute("data-umap-step") == "1"
    assert panel.get_by_role("button", name="Lancer le diaporama").is_visible()
    # Next jumps at once (no flight): the map is already at the step after the click.
    section_id = section.get_attribute("id")
    panel.get_by_role("button", name="Étape suivante").click()
    moving = page.evaluate(
        "id => wagtailUmap.get(id).map._animatingZoom || !!wagtailUmap.get(id).map._flyToFrame",
        section_id,
    )
    assert not moving
    context.close()

    # With motion allowed, the same map plays by itself.
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda route: route_request(route, watch))
    page = context.new_page()
    section = open_map(page, live_server.url + "/patrimoine/")
    page.wait_for_function(
        "() => document.querySelector('[data-umap-slideshow-panel]').dataset.umapStep === '2'",
        timeout=TIMEOUT,
    )
    context.close()
