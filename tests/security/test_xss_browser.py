"""In Chromium: our payloads (payloads.py) in every text an editor writes — title, summary,
credits, licence, layer names, descriptions, popup templates, feature properties and their
names, a block's caption — and in every file the importers read (GeoJSON, CSV, KML, GPX, .umap),
through every public and admin view. A payload that runs fails the test (``__xss`` records it),
as does one the DOM keeps ready to run (a handler, a ``javascript:`` address, a script), a CSP
violation, or a template that computed its 1337."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest
from django.urls import reverse

from example_site.home.models import StandardPage
from tests.browser.helpers import (
    EDITOR_READY,
    MAP_ADD_URL,
    log_in_as_editor,
    publish,
    wait_for_editor,
)
from tests.factories import document, layer, make_home, point
from tests.security.payloads import DOM_SCAN, RECORDER, TEMPLATE_RESULT, chunks, payloads
from wagtail_umap.models import Map, MapPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000
PAYLOADS = payloads()
HALF = len(PAYLOADS) // 2


class Findings:
    """What ran or was ready to run, by view."""

    def __init__(self):
        self.ran: list[str] = []
        self.dom: dict[str, list[str]] = {}
        self.templates: list[str] = []
        self.where = ""

    def assert_none(self, watch) -> None:
        assert self.ran == []
        assert self.dom == {}
        assert self.templates == []
        assert watch.csp_violations == []


@pytest.fixture
def findings(page):
    page.emulate_media(reduced_motion="reduce")  # popups open without the map's animations
    found = Findings()
    page.expose_function("reportXss", lambda n: found.ran.append(f"{found.where}: payload {n}"))
    page.add_init_script(RECORDER)
    return found


def scan(page, findings: Findings, where: str) -> None:
    """The DOM of every frame, and the page's text, after what the view did."""
    findings.where = where
    for frame in page.frames:
        try:
            result = frame.evaluate(DOM_SCAN)
        except Exception:  # a frame that navigated away meanwhile: nothing left to scan
            continue
        if result:
            findings.dom.setdefault(f"{where} ({frame.url[:60]})", []).extend(result)
    if TEMPLATE_RESULT in page.locator("body").inner_text():
        findings.templates.append(where)


def visit(page, findings: Findings, url: str, where: str, ready: str | None = None) -> None:
    findings.where = where
    page.goto(url)
    if ready:
        page.locator(ready).first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(300)  # handlers and autofocus fire
    scan(page, findings, where)


def open_every_popup(page, findings: Findings, where: str, limit: int = 80) -> int:
    """Press each "Show on the map" button of the page's lists: each popup is scanned open."""
    buttons = page.locator("button[data-umap-feature]:visible")
    count = min(buttons.count(), limit)
    for index in range(count):
        button = buttons.nth(index)
        button.scroll_into_view_if_needed()
        button.click()
        page.locator(".leaflet-popup-content").first.wait_for(timeout=TIMEOUT)
        scan(page, findings, f"{where}, popup {index + 1}")
        page.keyboard.press("Escape")
    return count


# --- maps written with every payload in every field ----------------------------------------


def hostile_map(title: str, summary: str, texts: list[str], *, big_layer: bool = False) -> Map:
    layers = []
    for n, text in enumerate(texts):
        feature = point(
            2.3 + n / 100, 48.8 + n / 200, text, description=text, lien=text, **{text[:60]: text}
        )
        layers.append(
            layer(
                text[:200],
                feature,
                description=text,
                popup_template=f"{text} {{name}} — {{description}} — {{lien}}",
            )
        )
    if big_layer:  # over INLINE_LAYER_MAX_BYTES: its data URL and its server-side list
        features = [
            point(2.5 + n / 100, 48.5, text, description=text) for n, text in enumerate(PAYLOADS)
        ]
        layers.append(layer("Grand calque", *features, popup_template="{name} {description}"))
    map_ = Map(title=title, summary=summary, shared_publicly=True)
    map_.set_document(
        document(
            *layers,
            credits=" ".join(texts)[:2000],
            licence={"name": texts[0][:200], "url": "https://example.org/" + texts[-1]},
        )
    )
    map_.full_clean()
    map_.save()
    map_.save_revision().publish()
    return map_


@pytest.fixture
def hostile_site(transactional_db, live_server, settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 4_000}
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    home = make_home()
    first = hostile_map(
        chunks(PAYLOADS, 255)[0], chunks(PAYLOADS, 2000)[0], PAYLOADS[:HALF], big_layer=True
    )
    second = hostile_map(chunks(PAYLOADS, 255)[1], chunks(PAYLOADS, 2000)[-1], PAYLOADS[HALF:])
    # Every payload in a title and a summary: one small map per title's worth of payloads.
    others = [hostile_map(title, title, [title[:200]]) for title in chunks(PAYLOADS, 255)[2:]]
    maps = [first, second, *others]
    blocks = [
        {"type": "map", "value": {"map": map_.pk, "height": 300, "caption": caption}}
        for map_, caption in zip(maps, chunks(PAYLOADS, 500) * len(maps), strict=False)
    ]
    page = home.add_child(instance=StandardPage(title="Toutes les cartes", slug="xss", body=blocks))
    page.save_revision().publish()
    map_page = home.add_child(instance=MapPage(title="Carte", slug="xss-carte", map=first))
    map_page.save_revision().publish()
    # A second revision, for the comparison view.
    draft = first.get_latest_revision_as_object()
    draft.summary = chunks(PAYLOADS, 2000)[-1]
    draft.save_revision()
    return {"maps": maps, "page": page, "map_page": map_page}


def test_public_views_run_no_payload(page, watch, live_server, findings, hostile_site):
    base = live_server.url
    first, second = hostile_site["maps"][:2]
    visit(page, findings, base + "/xss/", "page of every map", "[data-umap-state=ready]")
    visit(page, findings, base + "/xss-carte/", "map page", "[data-umap-state=ready]")
    assert open_every_popup(page, findings, "map page") >= HALF
    visit(page, findings, f"{base}/cartes/{first.pk}/embed/", "embed", "[data-umap-state=ready]")
    visit(page, findings, f"{base}/cartes/{second.pk}/embed/", "embed", "[data-umap-state=ready]")
    assert open_every_popup(page, findings, "embed of the second map") >= HALF
    hostile = quote(PAYLOADS[2])
    visit(
        page,
        findings,
        f"{base}/cartes/{first.pk}/embed/?layers={hostile}&controls={hostile}&lat={hostile}",
        "embed with hostile parameters",
        "[data-umap-state=ready]",
    )
    big = first.layers[-1]["id"]
    for query in ("", f"?q={quote(PAYLOADS[0][:20])}", f"?q=script&dom={hostile}", "?page=2"):
        visit(page, findings, f"{base}/cartes/{first.pk}/layers/{big}/features/{query}", "list")
    # oEmbed: the iframe code a partner's CMS pastes into its own page.
    embed_url = quote(f"{base}/cartes/{second.pk}/embed/", safe="")
    code = page.request.get(f"{base}/cartes/oembed/?url={embed_url}").json()["html"]
    page.set_content(f"<!doctype html><html><body>{code}</body></html>")
    page.wait_for_timeout(500)
    scan(page, findings, "oEmbed code in a partner's page")
    findings.assert_none(watch)


def test_admin_views_run_no_payload(
    page, watch, live_server, django_user_model, findings, hostile_site
):
    """The admin runs without the public CSP (Wagtail needs inline scripts): only escaping
    protects it."""
    base = live_server.url
    first, second = hostile_site["maps"][:2]
    log_in_as_editor(page, live_server, django_user_model, "/admin/")
    snippets = "/admin/snippets/wagtail_umap/map"
    visit(page, findings, base + snippets + "/", "map listing")
    for map_ in (first, second, hostile_site["maps"][-1]):
        visit(page, findings, f"{base}{snippets}/edit/{map_.pk}/", "editor", EDITOR_READY)
        page.get_by_role("tab", name="Réglages").click()
        scan(page, findings, f"editor {map_.pk}, settings")
        visit(page, findings, f"{base}{snippets}/share/{map_.pk}/", "share screen")
    visit(page, findings, f"{base}{snippets}/usage/{first.pk}/", "usage")
    visit(page, findings, f"{base}{snippets}/history/{first.pk}/", "history")
    compare = reverse(
        "wagtailsnippets_wagtail_umap_map:revisions_compare",
        args=[first.pk, "earliest", "latest"],
    )
    visit(page, findings, base + compare, "revision comparison")

    # The preview Wagtail's side panel shows, opened in a tab (frame-ancestors 'none').
    visit(page, findings, f"{base}{snippets}/edit/{first.pk}/", "editor", EDITOR_READY)
    page.locator("[data-side-panel-toggle=preview]").first.click()
    page.wait_for_function(
        "() => (document.querySelector('#w-preview-iframe') || {}).src", timeout=TIMEOUT
    )
    preview = page.locator("#w-preview-iframe").get_attribute("src")
    visit(page, findings, base + preview if preview.startswith("/") else preview, "preview")

    # The page editor: its map blocks name their maps, and the chooser lists them all.
    page_edit = f"{base}/admin/pages/{hostile_site['page'].pk}/edit/"
    visit(page, findings, page_edit, "page editor")
    chooser = page.locator("[data-chooser-url]").first
    chooser.scroll_into_view_if_needed()
    chooser.locator("[data-w-dropdown-target=toggle]").first.click()
    chooser.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal .listing, .modal table").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(300)
    scan(page, findings, "map chooser")
    findings.assert_none(watch)


# --- files with every payload, through each importer -----------------------------------------


def geojson_file(texts: list[str]) -> bytes:
    features = [
        point(2 + n / 100, 47, text, description=text, **{text[:60]: text})
        for n, text in enumerate(texts)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def csv_file(texts: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lat", "lon", "name", "description", texts[0][:60]])
    for n, text in enumerate(texts):
        writer.writerow([47 + n / 100, 2, text, text, text])
    return out.getvalue().encode()


def kml_file(texts: list[str]) -> bytes:
    placemarks = "".join(
        f"<Placemark><name>{escape(text)}</name><description><![CDATA[{text}]]></description>"
        f'<ExtendedData><Data name="{escape(text[:60], {chr(34): "&quot;"})}">'
        f"<value>{escape(text)}</value></Data></ExtendedData>"
        f"<Point><coordinates>{2 + n / 100},46</coordinates></Point></Placemark>"
        for n, text in enumerate(texts)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><name>{escape(texts[0])}</name><Folder><name>{escape(texts[1])}</name>"
        f"{placemarks}</Folder></Document></kml>"
    ).encode()


def gpx_file(texts: list[str]) -> bytes:
    points = "".join(
        f'<wpt lat="45" lon="{2 + n / 100}"><name>{escape(text)}</name>'
        f"<desc>{escape(text)}</desc></wpt>"
        for n, text in enumerate(texts)
    )
    track = (
        f"<trk><name>{escape(texts[3])}</name><desc>{escape(texts[4])}</desc><trkseg>"
        '<trkpt lat="45.1" lon="2"/><trkpt lat="45.2" lon="2.1"/></trkseg></trk>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
        f'xmlns="http://www.topografix.com/GPX/1/1">{points}{track}</gpx>'
    ).encode()


def umap_file(texts: list[str]) -> bytes:
    features = [point(2 + n / 100, 44, text, description=text) for n, text in enumerate(texts)]
    return json.dumps(
        {
            "type": "umap",
            "uri": "https://umap.example.org/fr/map/x",
            "properties": {
                "name": texts[0],
                "description": texts[1],
                "shortCredit": texts[2],
                "longCredit": texts[3],
                "licence": {"name": texts[4][:200], "url": ""},
            },
            "layers": [
                {
                    "type": "FeatureCollection",
                    "features": features,
                    "_umap_options": {
                        "name": texts[5][:200],
                        "description": texts[6],
                        "popupTemplate": texts[7] + " {name} {description}",
                    },
                }
            ],
        }
    ).encode()


IMPORTERS = {
    "hostile.geojson": geojson_file,
    "hostile.csv": csv_file,
    "hostile.kml": kml_file,
    "hostile.gpx": gpx_file,
    "hostile.umap": umap_file,
}


def test_every_importer_into_the_editor_and_the_public_map(
    page, watch, live_server, django_user_model, findings, tmp_path, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    home = make_home()
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    page.fill("input[name=title]", PAYLOADS[0])
    page.fill("textarea[name=summary]", PAYLOADS[1])
    for name, build in IMPORTERS.items():
        path = tmp_path / name
        path.write_bytes(build(PAYLOADS))
        findings.where = f"import {name}"
        page.locator(".umap-editor__file").set_input_files(str(path))
        page.locator(".umap-editor__status", has_text=f"depuis {name}").wait_for(timeout=TIMEOUT)
        assert page.locator(".umap-editor__import-errors .error-message").count() == 0, name
        scan(page, findings, f"editor after {name}")
    publish(page)
    # Away from the add view (its URL matches the listing's pattern too): the editor sends its
    # changed layers before the form (js/editor/save.js), so the publish takes a moment.
    page.wait_for_url(lambda url: not url.rstrip("/").endswith("/add"), timeout=3 * TIMEOUT)
    map_ = Map.objects.get(live=True)
    assert len(map_.layers) >= len(IMPORTERS)
    map_page = home.add_child(instance=MapPage(title="Importée", slug="importee", map=map_))
    map_page.save_revision().publish()
    visit(page, findings, f"{live_server.url}/importee/", "imported map", "[data-umap-state=ready]")
    assert open_every_popup(page, findings, "imported map", limit=60) > 0
    visit(page, findings, f"{live_server.url}{MAP_ADD_URL}", "new map after imports")
    visit(
        page,
        findings,
        f"{live_server.url}/admin/snippets/wagtail_umap/map/edit/{map_.pk}/",
        "editor of the imported map",
        EDITOR_READY,
    )
    findings.assert_none(watch)


def test_the_detectors_see_a_payload_that_runs_and_one_that_waits(page, watch, findings):
    """The tests above would pass with blind detectors: this one shows they see. (A page of
    its own, without CSP, served by the browser's router: like the admin's pages.)"""
    html = (
        "<!doctype html><html><body>"
        + PAYLOADS[9]  # <img src=x onerror=__xss(10)>
        + '<a href="java&#x09;script:__xss(0)">x</a><p>1337</p></body></html>'
    )
    page.route("**/xss-self-test", lambda route: route.fulfill(body=html, content_type="text/html"))
    visit(page, findings, "http://localhost/xss-self-test", "self-test")
    assert findings.ran == ["self-test: payload 10"]
    (found,) = findings.dom.values()
    assert found == ["img[onerror]", "a[href=javascript:__xss(0)]"]
    assert findings.templates == ["self-test"]
