"""Printing a published map in Chromium: the viewer's link opens the print view at the view the
reader chose, the sheet changes paper and keeps the view, the PDF has the paper's size and the
map, legend and credits on page 1, and the PNG export draws the basemap's tiles (CORS) and the
data, or says which basemap forbids it.

The Géoplateforme is answered locally with a green tile carrying CORS headers, as the real one
sends them; nothing leaves the machine.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.fixtures import SCREENSHOT_DIR
from tests.browser.helpers import TIMEOUT, open_map, wait_until_ready
from tests.factories import layer, make_map, point, root_page, square
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

TILE_GREEN = (198, 232, 198)
WORKS_RED = "#b3261e"
PAPER_MM = {"a4-portrait": (210, 297), "a4-landscape": (297, 210)}


def green_tile() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (256, 256), TILE_GREEN).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def green_ign(page, watch):
    """IGN tiles as a green square, with the Géoplateforme's CORS header."""
    body = green_tile()

    def fulfill(route):
        watch.tile_requests.append(route.request.url)
        route.fulfill(
            status=200,
            content_type="image/png",
            body=body,
            headers={"Access-Control-Allow-Origin": "*"},
        )

    page.route("https://data.geopf.fr/**", fulfill)
    return page


def works_map(basemap: str = "plan_ign") -> Map:
    root_page()  # the flush after a live-server test removes Wagtail's root and its locale
    map_ = make_map(
        "Travaux de voirie",
        layers=[
            layer(
                "Chantiers",
                square(2.85, 47.50, "Réfection de la place", size=0.004),
                style={"color": WORKS_RED, "fill_color": WORKS_RED, "fill_opacity": 1},
            ),
            layer("Déviations", point(2.856, 47.503, "Déviation rue Haute")),
        ],
    )
    options = {
        "basemap": basemap,
        "center": {"lat": 47.502, "lng": 2.852},
        "zoom": 15,
        "credits": "Service voirie de Belleville",
        "licence": {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/"},
    }
    map_.set_document({**map_.document, "options": {**map_.options, **options}})
    map_.save_revision().publish()
    return map_


def test_print_link_opens_the_print_view_at_the_chosen_view(green_ign, live_server, watch, axe):
    page = green_ign
    map_ = works_map()
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    # The reader moves the map and hides a layer; the print view must show what they chose.
    page.evaluate(
        "id => window.wagtailUmap.get(id).map.setView([47.5025, 2.853], 16, {animate: false})",
        f"umap-embed-{map_.pk}",
    )
    section.locator(".leaflet-control-layers label", has_text="Déviations").locator(
        "input"
    ).uncheck()
    link = section.locator("a[data-umap-control=print]")
    assert link.get_attribute("aria-label") == "Imprimer ou enregistrer en image"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/print/?**", timeout=TIMEOUT)
    assert "zoom=16" in page.url and "lat=47.5025" in page.url and "lng=2.853" in page.url
    print_section = wait_until_ready(page, page.locator("section[data-umap-viewer]"))
    config_view = page.evaluate(
        "id => {const m = window.wagtailUmap.get(id).map;"
        " return [m.getZoom(), m.getCenter().lat, m.getCenter().lng];}",
        f"umap-print-{map_.pk}",
    )
    assert config_view == [16, pytest.approx(47.5025), pytest.approx(2.853)]
    # Only the layer left visible is printed, and said in the key.
    key = page.locator(".umap-print__key-entry:visible")
    assert key.all_inner_texts() == ["Chantiers"]
    # The switcher (screen only) still chooses: the key and the form follow it.
    switcher = print_section.locator(".leaflet-control-layers")
    switcher.locator("label", has_text="Déviations").locator("input").check()
    assert key.all_inner_texts() == ["Chantiers", "Déviations"]
    layers_field = page.locator("input[name=layers]")
    assert layers_field.input_value() == ",".join(item["id"] for item in map_.layers)
    assert print_section.locator("[data-umap-control=fullscreen]").count() == 0
    assert print_section.locator(".leaflet-control-scale").is_visible()
    assert axe(page) == []
    watch.assert_clean()


def test_printed_pdf_has_the_paper_size_and_the_map(green_ign, live_server, watch, tmp_path):
    page = green_ign
    map_ = works_map()
    open_map(page, live_server.url + f"/cartes/{map_.pk}/print/")
    # Landscape, through the form, keeps the view the map shows.
    page.evaluate(
        "id => window.wagtailUmap.get(id).map.setView([47.501, 2.851], 15, {animate: false})",
        f"umap-print-{map_.pk}",
    )
    page.get_by_label("Orientation").select_option("landscape")
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url("**orientation=landscape**", timeout=TIMEOUT)
    assert "lat=47.501" in page.url and "zoom=15" in page.url
    wait_until_ready(page, page.locator("section[data-umap-viewer]"))
    page.locator(".leaflet-tile-loaded").first.wait_for(timeout=TIMEOUT)

    page.emulate_media(media="print")
    assert page.locator(".umap-print__toolbar").is_hidden()
    assert page.locator(".leaflet-control-zoom").is_hidden()
    assert page.locator("[data-umap-list]").is_hidden()  # the list was not asked for
    pdf = tmp_path / "carte.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    watch.assert_clean()

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PDF was made, not looked at")
    folder = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "print-a4-landscape"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, target],
        check=True,
    )
    picture = Image.open(f"{target}.png").convert("RGB")
    width, height = picture.size
    paper_w, paper_h = PAPER_MM["a4-landscape"]
    assert width / height == pytest.approx(paper_w / paper_h, rel=0.01)
    # The map is on paper: the red works and the green tiles.
    colours = {colour for _count, colour in picture.getcolors(maxcolors=1 << 20)}
    assert any(close(colour, (0xB3, 0x26, 0x1E)) for colour in colours)
    assert any(close(colour, TILE_GREEN) for colour in colours)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "Travaux de voirie",
        "Chantiers",
        "Service voirie de Belleville",
        "Licence Ouverte 2.0",
        "IGN",
    ):
        assert words in text


def close(colour, expected, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def exported_image(page) -> Image.Image:
    with page.expect_download(timeout=TIMEOUT * 3) as download:
        page.get_by_role("button", name="Télécharger la carte en image (PNG)").click()
    assert download.value.suggested_filename == "travaux-de-voirie.png"
    return Image.open(download.value.path()).convert("RGB")


def test_png_export_draws_tiles_and_data(green_ign, live_server, watch, screenshot):
    page = green_ign
    map_ = works_map()
    open_map(page, live_server.url + f"/cartes/{map_.pk}/print/")
    page.locator(".leaflet-tile-loaded").first.wait_for(timeout=TIMEOUT)
    box = page.locator("[data-umap-map]").bounding_box()
    image = exported_image(page)
    # Twice the screen's density (the map's border of 1 px is outside the drawn box).
    assert abs(image.width - 2 * box["width"]) <= 6 and abs(image.height - 2 * box["height"]) <= 6
    # The basemap's tiles (green) and the works (red) are drawn.
    assert close(image.getpixel((20, 60)), TILE_GREEN)
    polygon = page.locator("path.leaflet-interactive").first.bounding_box()
    centre = (
        round(2 * (polygon["x"] - box["x"] + polygon["width"] / 2)),
        round(2 * (polygon["y"] - box["y"] + polygon["height"] / 2)),
    )
    assert close(image.getpixel(centre), (0xB3, 0x26, 0x1E))
    status = page.locator("[data-umap-print-status]")
    assert "L’image est prête" in status.inner_text() or "image est prête" in status.inner_text()
    screenshot(page, "print-view")
    watch.assert_clean()


def test_png_export_names_the_basemap_that_forbids_it(page, live_server, watch):
    map_ = works_map(basemap="osm")
    open_map(page, live_server.url + f"/cartes/{map_.pk}/print/")
    image = exported_image(page)
    status = page.locator("[data-umap-print-status]").inner_text()
    assert "« OpenStreetMap »" in status or "“OpenStreetMap”" in status
    # The data is still there, on white.
    assert close(image.getpixel((6, 60)), (255, 255, 255))
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20)}
    assert any(close(colour, (0xB3, 0x26, 0x1E)) for colour in colours)
    watch.assert_clean()


def test_the_key_follows_the_groups_and_the_switcher(
    green_ign, live_server, watch, axe, screenshot
):
    """The key nests layers under their groups' headings as the viewer's legend does; a group
    hidden in the switcher (by keyboard) leaves the key, heading and layers."""
    from tests.sharing.test_print import grouped_map

    page = green_ign
    root_page()
    map_ = grouped_map()
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/print/")
    key = page.locator(".umap-print__key")
    shown = key.locator(".umap-print__key-group-title:visible, .umap-print__key-entry:visible")
    assert shown.all_inner_texts() == [
        "Écoles",
        "Publiques",
        "Maternelles",
        "Élémentaires",
        "Mairie",
    ]
    levels = key.locator(".umap-print__key-group-title").evaluate_all(
        "hs => hs.map((h) => h.tagName)"
    )
    assert levels == ["H3", "H4"]  # under the key's h2, the sheet's title being the h1
    # Each group's layers are inside its list item, one step in.
    inside = key.locator("[data-umap-key-group=ecoles] [data-umap-key-layer]")
    assert [item.get_attribute("data-umap-key-layer") for item in inside.all()] == ["mat", "elem"]
    assert axe(page) == []
    key.scroll_into_view_if_needed()
    screenshot(page, "print-key-groups")

    switcher = section.locator(".umap-layer-tree")
    publiques = switcher.get_by_role("checkbox", name="Publiques")
    publiques.focus()
    page.keyboard.press("Space")  # the subgroup and its one layer leave the key
    assert shown.all_inner_texts() == ["Écoles", "Élémentaires", "Mairie"]
    ecoles = switcher.get_by_role("checkbox", name="Écoles")
    ecoles.focus()
    page.keyboard.press("Space")  # mixed → all shown
    page.keyboard.press("Space")  # → all hidden: the group's heading goes too
    assert shown.all_inner_texts() == ["Mairie"]
    assert page.locator("input[name=layers]").input_value() == "mairie"
    switcher.get_by_role("checkbox", name="Élémentaires").focus()
    page.keyboard.press("Space")
    assert shown.all_inner_texts() == ["Écoles", "Élémentaires", "Mairie"]
    watch.assert_clean()
