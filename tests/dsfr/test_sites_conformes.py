"""A Sites Conformes site with wagtail-umap (example_dsfr): its content page holds a map drawn in
the DSFR theme, under the site's strict CSP. A citizen walks it by keyboard and axe finds
nothing; the embed page and the admin's menu are there too."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    PASSWORD,
    TIMEOUT,
    USERNAME,
    log_in,
    open_map,
    status_text,
    wait_for_opaque_popup,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Où nous rencontrer"


@pytest.fixture
def site(live_server):
    from example_dsfr.pages.demo import build_demo

    port = int(live_server.url.rsplit(":", 1)[1])
    return build_demo(hostname="localhost", port=port)


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, id: e.id,"
        " cls: String(e.className), text: e.textContent.trim().slice(0, 80),"
        " feature: e.getAttribute('data-umap-feature') || ''}; }"
    )


def tab_until(page, test, limit: int = 80) -> dict:
    """Press Tab until the focused element passes ``test``; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if test(element):
            return element
    raise AssertionError(f"Tab never reached the element (last: {element})")


def test_content_page_with_a_map_by_keyboard_and_axe(page, watch, axe, site, live_server):
    url = live_server.url.replace("127.0.0.1", "localhost") + "/"
    section = open_map(page, url, TITLE)
    # Sites Conformes' page around it: its DSFR header, its content container.
    assert page.locator("header.fr-header").count() == 1
    assert section.locator("xpath=ancestor::div[contains(@class, 'cmsfr-block-map')]").count()
    assert "umap-viewer--dsfr" in section.get_attribute("class")
    assert "5 éléments" in status_text(section) or "7 éléments" in status_text(section)
    # The theme's DSFR components, including those the script built.
    assert section.locator(".umap-viewer__list .fr-accordion").count() == 2
    assert section.locator("button.umap-viewer__locate.fr-btn:visible").count() == 7
    assert section.locator(".umap-legend__entry.fr-tag").count() == 3
    assert section.locator("button.umap-slideshow__button.fr-btn").count() == 3
    assert section.locator(".umap-filters__reset.fr-btn").count() == 1

    # Tab reaches the map's skip link; Enter takes the focus past the map, to the list.
    page.locator("body").focus()
    tab_until(page, lambda e: "umap-viewer__skip" in e["cls"])
    assert section.locator(".umap-viewer__skip").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "umap-1-list"

    # The layer's accordion: closes and opens again from the keyboard, the focus staying on it
    # (DSFR's own script would send it to the site's logo for an accordion open on load).
    accordion = tab_until(page, lambda e: "fr-accordion__btn" in e["cls"])
    assert accordion["text"] == "Points d’accueil"
    button = section.locator(".fr-accordion__btn").first
    page.keyboard.press("Enter")
    page.wait_for_function(
        "b => b.getAttribute('aria-expanded') === 'false'", arg=button.element_handle()
    )
    assert focused(page)["cls"] == "fr-accordion__btn"
    assert section.locator("#umap-1-layer-0-content").is_hidden()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "b => b.getAttribute('aria-expanded') === 'true'", arg=button.element_handle()
    )
    assert focused(page)["cls"] == "fr-accordion__btn"
    assert section.locator("#umap-1-layer-0-content").is_visible()

    # "Voir sur la carte": Enter opens the popup with the focus on its title, Escape closes it
    # and gives the focus back to the button.
    locate = tab_until(page, lambda e: e["tag"] == "BUTTON" and e["feature"])
    assert locate["text"].startswith("Voir sur la carte")
    page.keyboard.press("Enter")
    # (The slideshow's panel shows the same content for its first step: the popup is Leaflet's.)
    popup = section.locator(f'.leaflet-popup .umap-popup[data-umap-feature="{locate["feature"]}"]')
    popup.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.activeElement.classList.contains('umap-popup__title')")
    assert popup.locator(".umap-popup__title").inner_text() == "Préfecture de l’Exemple"
    assert popup.locator(".umap-popup__list-link.fr-link").count() == 1
    wait_for_opaque_popup(page)
    violations = axe(page, f"#{section.get_attribute('id')}")
    assert violations == [], violations
    page.keyboard.press("Escape")
    popup.wait_for(state="detached", timeout=TIMEOUT)
    back = focused(page)
    assert back["feature"] == locate["feature"] and back["tag"] == "BUTTON"

    # The whole page, Sites Conformes' header and footer included.
    assert axe(page) == []
    watch.assert_clean()  # no console error, no CSP violation, nothing from another origin


def test_embed_page_in_dsfr(page, watch, axe, site, live_server):
    from wagtail_umap.models import Map

    map_ = Map.objects.get(title=TITLE)
    section = open_map(page, f"{live_server.url}/cartes/{map_.pk}/embed/", TITLE)
    assert page.locator("body.umap-embed--dsfr").count() == 1
    # Marianne comes from django-dsfr's static files, through DSFR's CSS.
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert font.lower().startswith("marianne")
    assert section.locator(".fr-accordion__btn").count() == 2
    assert axe(page) == []
    watch.assert_clean()


def test_maps_in_the_admin_menu_and_map_block_offered(page, site, live_server, django_user_model):
    django_user_model.objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    log_in(page, live_server, "/cms-admin/", admin="/cms-admin")
    # Sites Conformes' admin menu holds wagtail-umap's maps.
    sidebar = page.locator("#wagtail-sidebar, aside, nav").first
    sidebar.get_by_text("Cartes", exact=True).first.wait_for(timeout=TIMEOUT)
    page.goto(f"{live_server.url}/cms-admin/snippets/wagtail_umap/map/")
    assert page.get_by_role("link", name=TITLE).count() >= 1
    # The content page's body holds the map block; its chooser offers it beside Sites
    # Conformes' blocks, in a group of its own.
    page.goto(f"{live_server.url}/cms-admin/pages/{site.pk}/edit/")
    page.get_by_text(TITLE).first.wait_for(timeout=TIMEOUT)
    # The body's last "insert a block" button (the first one is the hero's).
    page.locator("button[title='Insert a block'], button[title='Insérer un bloc']").last.click()
    chooser = page.locator(".w-combobox").first
    chooser.locator("input").fill("Carte")
    options = chooser.locator(".w-combobox__option-text")
    options.first.wait_for(timeout=TIMEOUT)
    assert "Carte" in options.all_inner_texts()
