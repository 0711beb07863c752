"""What a uMap user sees of a migrated map (Chromium): each of uMap's own test fixtures
(tests/fixtures/, copied from uMap) and our modern uMap files (tests/fixtures/umap_modern/)
imported, published and opened. Feature names follow labelKey, popups show uMap's markup as
the server renders it (core.markup), colours follow the map's default style and the rules,
and labels are on the map, hidden from screen readers."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.helpers import TIMEOUT, open_map, wait_for_opaque_popup
from wagtail_umap.core.markup import feature_name
from wagtail_umap.core.schema import resolve_style
from wagtail_umap.formats import read_map_file
from wagtail_umap.viewer.umap_markup import image_hosts_allowed, popup_html

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).parent.parent / "fixtures"
FILES = sorted(
    [path for path in FIXTURES.glob("*.*") if path.suffix != ".md"]
    + list((FIXTURES / "umap_modern").glob("*.umap"))
)
MARKER_LIMIT = 60  # features per layer checked one by one (the fixtures hold fewer)


class Tree(HTMLParser):
    """Tags, sorted attributes and text of an HTML fragment, to compare two serialisations."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []

    def handle_starttag(self, tag, attrs):
        kept = sorted((k, v or "") for k, v in attrs if k != "class")
        self.items.append(("<", tag, tuple(kept)))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        if self.items and self.items[-1][0] == "text":
            self.items[-1] = ("text", self.items[-1][1] + data)
        else:
            self.items.append(("text", data))


def tree(html: str) -> list:
    parser = Tree()
    parser.feed(html)
    return [item for item in parser.items if item != ("text", "")]


def publish(document: dict, slug: str):
    from example_site.home.management.commands.load_demo import Command
    from tests.factories import make_home
    from wagtail_umap.models import MapPage

    home = make_home(f"home-{slug}")  # first: it sets the root and locale a flush removed
    map_ = Command().publish_map(document)
    page = home.add_child(instance=MapPage(title=document["title"], slug=slug, intro="", map=map_))
    page.save_revision().publish()
    return map_


def plain_layer(layer: dict) -> bool:
    representation = (layer.get("representation") or {}).get("type", "plain")
    return (
        representation == "plain"
        and not layer.get("filters")
        and len(layer["features"]) <= MARKER_LIMIT
    )


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_a_migrated_map_looks_as_in_umap(path, page, watch, live_server, axe):
    result = read_map_file(path.name, path.read_bytes())
    document = result.document
    document["title"] = document.get("title") or path.stem
    document["summary"] = document.get("summary") or f"Carte importée de {path.name}."
    map_ = publish(document, "fidelite")
    document = map_.full_document()
    section = open_map(page, live_server.url + "/fidelite/", timeout=TIMEOUT * 2)
    options = document["options"]
    hosts = image_hosts_allowed()
    labelled = 0
    for position, layer in enumerate(document["layers"]):
        if not plain_layer(layer):
            continue
        label_key = layer.get("label_key") or ""
        for index, feature in enumerate(layer["features"]):
            if not feature.get("geometry"):
                continue
            properties = feature.get("properties") or {}
            key = f"{layer['id']}:{index}"
            # The list's name is labelKey's.
            expected = feature_name(properties, label_key) or f"Élément sans nom n° {index + 1}"
            item = section.locator(f'[data-umap-feature-item="{key}"]')
            assert item.locator(".umap-viewer__feature-name").inner_text().strip() == expected
            style = resolve_style(options, layer, properties)
            kind = feature["geometry"]["type"]
            if kind == "Point" and layer.get("shown_on_load", True):
                marker = section.locator(f'.umap-marker[data-umap-feature="{key}"]')
                assert marker.get_attribute("aria-label") == expected
                fill = marker.locator("svg > :first-child").get_attribute("fill")
                assert fill.lower() == (style.get("fill_color") or style["color"]).lower()
            elif kind in ("LineString", "Polygon") and layer.get("shown_on_load", True):
                path_ = section.locator(f'path[data-umap-feature="{key}"]')
                assert path_.get_attribute("stroke").lower() == style["color"].lower()
                if style.get("dash_array"):
                    assert path_.get_attribute("stroke-dasharray")
            if style.get("show_label") == "always" and layer.get("shown_on_load", True):
                labelled += 1
        # The first feature's popup: uMap's markup, as the server renders it.
        first = next((i for i, f in enumerate(layer["features"]) if f.get("geometry")), None)
        if first is None or not layer.get("shown_on_load", True):
            continue
        properties = layer["features"][first].get("properties") or {}
        rendered = popup_html(
            layer.get("popup_template", ""),
            properties,
            heading_level=4,
            hosts=hosts,
            name=feature_name(properties, label_key),
        )
        if not rendered or layer.get("popup_layout") in ("table", "panel"):
            continue
        section.locator(f'button[data-umap-feature="{layer["id"]}:{first}"]').click()
        body = page.locator(".leaflet-popup .umap-popup__body")
        body.wait_for(timeout=TIMEOUT)
        assert tree(body.inner_html()) == tree(rendered), (position, rendered)
        page.keyboard.press("Escape")
        # Gone before the next one, and before axe (a popup fading out has faded contrast).
        page.locator(".leaflet-popup").wait_for(state="detached", timeout=TIMEOUT)
    labels = section.locator("[data-umap-label]")
    assert labels.count() == labelled
    for number in range(labels.count()):
        assert labels.nth(number).get_attribute("aria-hidden") == "true"
    assert axe(page) == []
    watch.assert_clean()


def test_the_demo_equipments_map(page, watch, live_server, axe, screenshot):
    """The demo's migrated map: markup in popups and in the list, rules in the legend as
    text, labels that do not overlap."""
    from example_site.home.demo import umap_equipments

    publish(umap_equipments(), "equipements-umap")
    section = open_map(page, live_server.url + "/equipements-umap/")
    page.wait_for_timeout(300)
    names = section.locator("[data-umap-label]")
    assert names.count() >= 7
    # Labels shown do not overlap each other.
    boxes = [
        names.nth(i).bounding_box()
        for i in range(names.count())
        if names.nth(i).get_attribute("data-umap-label-hidden") is None
    ]
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            apart = (
                a["x"] >= b["x"] + b["width"]
                or b["x"] >= a["x"] + a["width"]
                or a["y"] >= b["y"] + b["height"]
                or b["y"] >= a["y"] + a["height"]
            )
            assert apart, (a, b)
    # The closed gymnasium is drawn red (rule statut = fermé), the others in the map's navy.
    gym = section.locator('.umap-marker[aria-label="Gymnase des Chaumes"] svg > :first-child')
    assert gym.get_attribute("fill") == "#c0392b"
    town_hall = section.locator('.umap-marker[aria-label="Mairie"] svg > :first-child')
    assert town_hall.get_attribute("fill") == "#1a237e"
    legend = section.locator("[data-umap-legends]").inner_text()
    assert "statut = fermé : rouge, tirets" in legend
    # The list shows the popup's markup (headings, bold, links), the closed path's description.
    item = section.locator("[data-umap-feature-item]").filter(has_text="Gymnase des Chaumes")
    assert item.locator("strong", has_text="Statut").count() == 1
    assert item.locator('a[href="https://www.example.fr/gymnase"]').count() == 1
    screenshot(page, "umap-migrated-map")
    section.locator("[data-umap-legends]").scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(200)
    screenshot(page, "umap-migrated-list")
    section.get_by_role("button", name="Mairie", exact=True).first.click()
    popup = page.locator(".leaflet-popup .umap-popup")
    popup.wait_for(timeout=TIMEOUT)
    # "# {nom}" is the popup's title (h3), not repeated below it.
    assert popup.locator("h3.umap-popup__title").inner_text() == "Mairie"
    assert popup.locator("h4").count() == 0
    assert popup.locator("strong", has_text="Statut").count() == 1
    assert popup.locator('a[href="https://www.example.fr/mairie"]').count() == 1
    # The image's host is not in the site's CSP img-src: a link to it, nothing loaded.
    assert popup.locator("img").count() == 0
    assert popup.locator('a[href*="upload.wikimedia.org"]').count() == 1
    wait_for_opaque_popup(page)
    screenshot(page, "umap-migrated-popup")
    assert axe(page) == []
    watch.assert_clean()
