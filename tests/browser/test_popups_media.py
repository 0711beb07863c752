"""Popups (Chromium): template fallbacks, the table and panel layouts, cleaned HTML
descriptions, image and audio, and the video facade that asks nothing of the video host
before the citizen clicks."""

from __future__ import annotations

import pytest
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from example_site.home.demo import DEMO_VIDEO
from tests.browser.helpers import TIMEOUT, open_map
from wagtail_umap.models import MapPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("viz_demo")]


def open_popup_of(page, section, name):
    marker = section.locator(f".umap-marker[aria-label='{name}']")
    marker.focus()
    page.keyboard.press("Enter")


def test_video_facade_asks_nothing_before_a_click(page, watch, live_server, axe, screenshot):
    Embed.objects.create(
        url=DEMO_VIDEO,
        max_width=640,
        hash=get_embed_hash(DEMO_VIDEO, 640, None),
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?feature=oembed"></iframe>',
        title="Big Buck Bunny",
        width=640,
        height=360,
    )
    section = open_map(page, live_server.url + "/patrimoine/")
    open_popup_of(page, section, "L’église Saint-Martin")
    panel = section.locator("[data-umap-panel]")  # this layer shows its content in a side panel
    facade = panel.locator("[data-umap-video]")
    facade.wait_for(timeout=TIMEOUT)
    assert "www.youtube.com" in facade.inner_text()  # says where the video would come from
    page.wait_for_timeout(500)
    assert watch.outside_requests == []  # nothing asked of YouTube yet
    assert page.locator("iframe").count() == 0
    screenshot(page, "viz-panel-video")
    assert axe(page) == []
    facade.get_by_role("button", name="Lire la vidéo").click()
    frame = facade.locator("iframe")
    frame.wait_for(state="attached", timeout=TIMEOUT)
    assert (
        frame.get_attribute("src")
        == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?feature=oembed"
    )
    assert frame.get_attribute("title") == "Big Buck Bunny"
    page.wait_for_timeout(500)
    # Only now the player is requested (the test routes abort it: the machine stays offline).
    assert any("youtube-nocookie.com" in url for url in watch.outside_requests)
    assert watch.console_errors == [] or all(
        "youtube" in e or "ERR_FAILED" in e for e in watch.console_errors
    )
    assert watch.csp_violations == []


def test_panel_layout_focus_and_escape(page, watch, live_server, axe):
    section = open_map(page, live_server.url + "/patrimoine/")
    marker = section.locator(".umap-marker[aria-label='La mairie']")
    open_popup_of(page, section, "La mairie")
    panel = section.locator("[data-umap-panel]")
    title = panel.locator(".umap-popup__title")
    assert title.inner_text() == "La mairie"
    assert page.evaluate("() => document.activeElement.classList.contains('umap-popup__title')")
    # The description's HTML is shown as HTML (cleaned), not as tags in the text.
    assert panel.locator(".umap-popup__body strong").inner_text() == "relais de poste"
    # Its image (a rendition, with its alt text) and audio document.
    image = panel.locator("img.umap-popup__image")
    assert image.get_attribute("alt") == "Façade de la mairie, dessin"
    assert "/images/" in image.get_attribute("src") or "/media/" in image.get_attribute("src")
    audio = panel.locator("audio")
    assert audio.get_attribute("src").endswith(".wav")
    assert axe(page) == []
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert marker.evaluate("m => m === document.activeElement")
    watch.assert_clean()


def test_template_fallbacks_and_table_layout(page, watch, live_server):
    section = open_map(page, live_server.url + "/routes/")
    features = MapPage.objects.get(slug="routes").map.full_document()["layers"][0]["features"]
    index = next(i for i, f in enumerate(features) if not f["properties"].get("ref"))
    layer_id = MapPage.objects.get(slug="routes").map.layers[0]["id"]
    page.evaluate(
        "([id, key]) => wagtailUmap.get(id).showFeature(key)",
        [section.get_attribute("id"), f"{layer_id}:{index}"],
    )
    body = section.locator(".umap-popup .umap-popup__body")
    body.wait_for(timeout=TIMEOUT)
    assert body.inner_text().startswith("Route sans numéro")  # {ref|"Route sans numéro"}

    section = open_map(page, live_server.url + "/velo-groupes/")
    layer_id = MapPage.objects.get(slug="velo-groupes").map.layers[0]["id"]
    page.evaluate(
        "([id, key]) => wagtailUmap.get(id).showFeature(key)",
        [section.get_attribute("id"), f"{layer_id}:0"],
    )
    table = section.locator(".umap-popup table.umap-popup__table")
    table.wait_for(timeout=TIMEOUT)
    assert table.locator("th", has_text="capacity").count() == 1
    assert table.locator("th", has_text="amenity").count() == 1
    watch.assert_clean()
