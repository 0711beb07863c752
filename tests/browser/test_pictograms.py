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
    wait_for_autosave_idle,
    wait_for_editor,
)
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models import Map

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.admin_ui,
]


def publish_when_saved(page) -> None:
    """Publish once Wagtail's autosave is idle, as ``save_draft`` waits: publishing during an
    autosave once left a failed request (400) in the console."""
    wait_for_autosave_idle(page)
    publish(page)


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
    page.keyboard.type("school")  # the English keyword finds it too
    page.wait_for_function(
        "() => document.querySelector('.umap-icons__choice')?.dataset.umapIcon === 'school'"
    )
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

    # Undone and redone from the toolbar, by keyboard, like any edit.
    undo = page.locator(".umap-editor__toolbar button", has_text="↶")
    undo.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !(JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].style || {}).icon"
    )
    redo = page.locator(".umap-editor__toolbar button", has_text="↷")
    redo.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => (JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].style || {}).icon === 'school'"
    )

    publish_when_saved(page)
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
    assert (watch.console_errors, watch.csp_violations, watch.outside_requests) == ([], [], [])


def test_the_png_export_draws_the_pictogram_inside_the_marker(page, live_server, watch):
    """The print view's PNG draws SVG through data: URLs, which load nothing: the pictogram
    (a <use> of the site's sprite) must be put inside the marker first."""
    import io

    from PIL import Image

    from tests.browser.helpers import open_map

    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (198, 232, 198)).save(tile, format="PNG")
    page.route(
        "https://data.geopf.fr/**",
        lambda route: route.fulfill(
            status=200,
            content_type="image/png",
            body=tile.getvalue(),
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    )
    # The "square" pictogram fills the middle of the marker's white disc with dark ink.
    map_ = make_map(
        "Déchetterie",
        layers=[
            layer(
                "Points de collecte",
                point(2.852, 47.502, "Déchetterie"),
                style={"icon": "square", "marker_size": 64, "color": "#1f5fa8"},
            )
        ],
    )
    map_.set_document(
        {
            **map_.document,
            "options": {**map_.options, "center": {"lat": 47.502, "lng": 2.852}, "zoom": 15},
        }
    )
    map_.save_revision().publish()
    open_map(page, live_server.url + f"/cartes/{map_.pk}/print/")
    page.locator(".leaflet-tile-loaded").first.wait_for(timeout=TIMEOUT)
    box = page.locator("[data-umap-map]").bounding_box()
    marker = page.locator(".umap-marker svg").first.bounding_box()
    with page.expect_download(timeout=TIMEOUT * 3) as download:
        page.get_by_role("button", name="Télécharger la carte en image (PNG)").click()
    image = Image.open(download.value.path()).convert("RGB")
    # The pin's head (its disc) is at 13/26 of its width and 12.5/36 of its height.
    head = (
        round(2 * (marker["x"] - box["x"] + marker["width"] * 13 / 26)),
        round(2 * (marker["y"] - box["y"] + marker["height"] * 12.5 / 36)),
    )
    red, green, blue = image.getpixel(head)
    assert max(red, green, blue) < 80, (head, (red, green, blue))  # the pictogram's dark ink
    # Beside the pictogram, still inside the disc: white.
    beside = (head[0], head[1] - round(2 * marker["height"] * 7 / 36))
    assert min(image.getpixel(beside)) > 200, image.getpixel(beside)
    assert (watch.console_errors, watch.csp_violations, watch.outside_requests) == ([], [], [])


HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 15 15" onload="alert(1)">'
    b"<script>alert(2)</script>"
    b'<path d="M1 1h13v13H1z" fill="#6a1b9a"/>'
    b'<use href="https://evil.example/x.svg#a"/></svg>'
)


def test_an_editor_uses_an_own_svg_icon_which_the_site_serves_cleaned(
    page, live_server, django_user_model, schools, watch, browser
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    icon = get_document_model().objects.create(
        title="Logo du collège", file=ContentFile(HOSTILE_SVG, name="logo-college.svg")
    )
    get_document_model().objects.create(
        title="Compte rendu", file=ContentFile(b"%PDF-1.4", name="compte-rendu.pdf")
    )
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    edit_url = f"/admin/snippets/wagtail_umap/map/edit/{schools.pk}/"
    log_in_as_editor(page, live_server, django_user_model, edit_url)
    wait_for_editor(page)
    page.locator(".umap-editor__layer-details > summary").first.click()
    picker = page.locator(".umap-editor__layer-details [data-umap-style=icons]")
    own_svg = picker.locator("[data-umap-own-icon=document]")

    # A document that is not an SVG is refused, in words.
    own_svg.click()
    page.locator(".modal-content a[data-chooser-modal-choice]", has_text="Compte rendu").click()
    status = page.locator(".umap-editor__layer-details [data-umap-panel=style] [role=status]")
    status.filter(has_text="pas un fichier SVG").wait_for(timeout=TIMEOUT)
    assert "icon" not in hidden_document(page)["layers"][0]["style"]

    own_svg.click()
    page.locator(".modal-content a[data-chooser-modal-choice]", has_text="Logo du collège").click()
    picker.locator(".umap-icons__chosen", has_text="Choisi : votre propre icône").wait_for(
        timeout=TIMEOUT
    )
    assert hidden_document(page)["layers"][0]["style"]["icon"] == f"document:{icon.pk}"
    page.wait_for_function(
        "() => document.querySelectorAll('.umap-editor .leaflet-marker-pane image').length === 2"
    )
    publish_when_saved(page)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)

    with visitor_page(browser) as citizen:
        citizen.goto(live_server.url + reverse("wagtail_umap:embed", args=[schools.pk]))
        named = citizen.locator('.umap-marker[aria-label="École Jules-Ferry"]')
        named.wait_for(timeout=TIMEOUT)
        href = named.locator("svg image").get_attribute("href")
        assert href == reverse("wagtail_umap:marker_icon") + f"?icon=document%3A{icon.pk}"
        response = citizen.request.get(live_server.url + href)
        assert response.headers["content-type"] == "image/svg+xml"
        assert "sandbox" in response.headers["content-security-policy"]
        body = response.text()
        assert "#6a1b9a" in body
        assert "alert" not in body and "evil" not in body and "onload" not in body
    assert failed == []
    assert (watch.console_errors, watch.csp_violations, watch.outside_requests) == ([], [], [])
