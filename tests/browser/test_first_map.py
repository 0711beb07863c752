"""A newcomer's first map reaches the site: Publish is the footer's main button, its message
offers “Put this map on a page”, and that screen publishes a map page in one step. All by
keyboard: no mouse or pointer event reaches the page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.browser.helpers import (
    MAP_ADD_URL,
    TIMEOUT,
    log_in_by_keyboard,
    wait_for_editor,
    wait_until_ready,
)
from tests.browser.test_keyboard_editor import (
    COUNT_POINTER_EVENTS,
    active,
    expect_status,
    pointer_events,
    press,
    tab_until,
    type_name,
)
from tests.factories import make_home, make_map
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db(transaction=True)


def focus_by_tab(page, locator, limit: int = 80) -> None:
    """Press Tab until ``locator`` has the focus (what a keyboard user does)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the element")


def test_publish_then_put_the_map_on_a_page_by_keyboard(
    page, live_server, django_user_model, watch, screenshot, axe
):
    page.add_init_script(COUNT_POINTER_EVENTS)
    make_home("accueil-premiere-carte")
    map_ = make_map("Fête de la musique", publish=False)
    edit = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    log_in_by_keyboard(page, live_server, django_user_model, edit)
    wait_for_editor(page)

    # "Publier" is the footer's main button, not hidden behind "Enregistrer le brouillon".
    publish = page.locator("footer button[name=action-publish]")
    assert publish.is_visible() and publish.inner_text().strip() == "Publier"
    assert not page.locator("footer button", has_text="Enregistrer le brouillon").is_visible()
    screenshot(page, "first-map-publish-button")
    with page.expect_navigation(timeout=TIMEOUT):
        publish.press("Enter")

    # The map is on no page yet: the next step comes at once, with the message.
    message = page.locator(".messages li", has_text="Fête de la musique")
    message.wait_for(timeout=TIMEOUT)
    assert "Elle n’est encore sur aucune page du site" in message.inner_text()
    assert page.get_by_role("link", name="Pas maintenant : retour aux cartes").is_visible()

    # One form: the title is the map's, the parent the site's home page.
    assert page.get_by_label("Titre de la page").input_value() == "Fête de la musique"
    assert "Accueil" in page.locator("form.umap-place__form").inner_text()
    assert "Sur aucune page pour l’instant" in page.locator("[data-umap-usage]").inner_text()
    # Wagtail's message slides in: axe measures its contrast once it is there.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages li')]"
        ".every((li) => getComputedStyle(li).opacity === '1')"
    )
    page.wait_for_timeout(500)
    assert axe(page, "main") == []
    screenshot(page, "first-map-place-on-page")
    focus_by_tab(page, page.get_by_role("button", name="Publier la page"))
    with page.expect_navigation(timeout=TIMEOUT):
        page.keyboard.press("Enter")

    # The map is on the site, in a published map page.
    section = page.locator("section[data-umap-viewer]").first
    wait_until_ready(page, section)
    assert page.url.endswith("/fete-de-la-musique/")
    assert MapPage.objects.get().live

    # Back on the screen, the page is listed where the map is shown.
    page.goto(live_server.url + reverse("wagtailsnippets_wagtail_umap_map:place", args=[map_.pk]))
    usage = page.locator("[data-umap-usage]").inner_text()
    assert "Fête de la musique" in usage and "publiée" in usage
    assert pointer_events(page) == []
    watch.assert_clean()


def test_a_new_place_shows_name_description_and_image_first(
    page, live_server, django_user_model, watch, screenshot
):
    make_home("accueil-panneau")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL + "?start=event")
    wait_for_editor(page)
    place = page.get_by_role("button", name="Placer un marqueur au viseur")
    place.focus()
    page.keyboard.press("Enter")
    panel = page.locator(".umap-editor__feature")
    panel.get_by_label("Nom", exact=True).wait_for(timeout=TIMEOUT)
    assert page.evaluate("document.activeElement.dataset.focusKey") == "feature-name"
    panel.locator("[data-umap-media=image]").wait_for(timeout=TIMEOUT)
    panel.locator("[data-umap-panel=style]").wait_for(state="attached", timeout=TIMEOUT)
    # In the panel's order: the name, the description, the image; the style folded below.
    order = panel.evaluate(
        """panel => [...panel.querySelectorAll(
            '[data-focus-key=feature-name], [data-focus-key=feature-description],'
            + ' [data-umap-media=image], [data-focus-key=feature-layer], [data-umap-panel=style]')]
            .map(el => el.dataset.umapMedia || el.dataset.umapPanel || el.dataset.focusKey)"""
    )
    assert order == ["feature-name", "feature-description", "image", "feature-layer", "style"]
    assert not panel.locator("[data-umap-panel=style]").evaluate("details => details.open")
    panel.evaluate("panel => panel.scrollIntoView({block: 'start'})")
    screenshot(page, "editor-new-place-panel")
    watch.assert_clean()


def test_full_screen_keeps_the_save_bar_off_the_map(
    page, live_server, django_user_model, watch, screenshot, axe
):
    make_home("accueil-plein-ecran")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    toggle = page.get_by_role("button", name="Plein écran")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.locator(".umap-editor__status", has_text="Plein écran").wait_for(timeout=TIMEOUT)
    map_box = page.locator(".umap-editor__map").bounding_box()
    footer = page.locator("footer", has=page.locator("button[name=action-publish]")).bounding_box()
    window = page.viewport_size
    # The map fills the window's width and most of its height, and ends above the save bar.
    assert map_box["height"] > window["height"] * 0.5
    assert map_box["y"] + map_box["height"] <= footer["y"] + 1
    assert page.locator("footer button[name=action-publish]").is_visible()
    screenshot(page, "editor-full-screen")
    assert axe(page, ".umap-editor") == []
    page.keyboard.press("Enter")  # the button keeps the focus: Enter again closes it
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.get_by_role("textbox", name="Titre").is_visible()
    watch.assert_clean()


def photo(tmp_path, name: str):
    path = tmp_path / name
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 480), (200, 80, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_the_marker_tool_stays_on_and_a_photo_is_sent_as_soon_as_chosen(
    page, live_server, django_user_model, watch, screenshot, axe, tmp_path
):
    """Several places with one press of the tool; a photo from the computer in one step (the
    file field is the panel's button). By keyboard only."""
    page.add_init_script(COUNT_POINTER_EVENTS)
    make_home("accueil-outil")
    if Collection.get_first_root_node() is None:  # removed by the flush of an earlier test
        Collection.add_root(name="Root")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL + "?start=event")
    wait_for_editor(page)
    tool = page.locator(".umap-editor__toolbar button[data-shape=Marker]")
    tool.press("Enter")
    assert tool.get_attribute("aria-pressed") == "true"
    assert active(page, "el.classList.contains('umap-editor__map')")
    expect_status(page, "L’outil reste actif pour le lieu suivant")

    # The first place: Enter on the map, its name (the field has the focus), its photo.
    press(page, "Enter")
    expect_status(page, "Marqueur ajouté")
    type_name(page, "Scène du kiosque")
    upload = page.get_by_label("Choisir une image sur votre ordinateur")
    tab_until(page, "el.type === 'file'", limit=20)
    assert active(page, "el.closest('label').textContent") == (
        "Choisir une image sur votre ordinateur"
    )
    upload.set_input_files(str(photo(tmp_path, "scene-kiosque.jpg")))
    panel = page.locator(".umap-editor__feature")
    panel.locator(".umap-media__chosen", has_text="scene-kiosque").wait_for(timeout=TIMEOUT)
    page.locator(".umap-panel__status", has_text="envoyée et ajoutée au lieu").wait_for(
        timeout=TIMEOUT
    )
    image = get_image_model().objects.get(title="scene-kiosque")
    kiosque = hidden_feature(page, "Scène du kiosque")
    assert kiosque["properties"]["_media"]["image"] == {"id": image.pk, "alt": "scene-kiosque"}
    assert tool.get_attribute("aria-pressed") == "true", "the tool is still on"
    screenshot(page, "editor-image-from-computer")

    # The second place, the tool still on: the map, Enter.
    page.locator(".umap-editor__map").focus()
    press(page, "ArrowRight", 3)
    press(page, "Enter")
    expect_status(page, "Marqueur ajouté")
    type_name(page, "Place de l’église")
    assert set(placed(page)) == {"Scène du kiosque", "Place de l’église"}

    # A file that is not an image: Wagtail's message, next to the button; nothing changes.
    text = tmp_path / "programme.txt"
    text.write_text("Fanfares")
    page.get_by_label("Choisir une image sur votre ordinateur").set_input_files(str(text))
    alert = panel.locator(".umap-media__image [role=alert]")
    alert.filter(has_text="n’a pas été envoyée").wait_for(timeout=TIMEOUT)
    assert "programme.txt" in alert.inner_text() and "image" in alert.inner_text()
    assert "_media" not in hidden_feature(page, "Place de l’église")["properties"]
    assert axe(page, ".umap-editor") == []

    # Escape stops the tool; the place's handle is then one Tab away from the map.
    page.locator(".umap-editor__map").focus()
    press(page, "Escape")
    assert tool.get_attribute("aria-pressed") == "false"
    expect_status(page, "Tracé annulé")
    tab_until(page, "el.hasAttribute('data-umap-point-handle')")
    assert len(placed(page)) == 2
    assert pointer_events(page) == []
    # The refused file's answer (400) is the only error the browser logged.
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    assert watch.csp_violations == [] and watch.outside_requests == []


def placed(page) -> dict[str, dict]:
    """{name: feature} of the editor's first layer (the hidden field may hold references only,
    once Wagtail's autosave has sent the layer)."""
    features = page.evaluate(
        "() => document.querySelector('.umap-editor').umapEditor.state.layers[0].features"
    )
    return {f["properties"].get("name", ""): f for f in features}


def hidden_feature(page, name: str) -> dict:
    return placed(page)[name]
