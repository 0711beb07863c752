"""The issue's "done when" path in the real Wagtail admin, in Chromium: an editor imports a uMap
backup into a new map and publishes it; an anonymous visitor sees it on a page. A bad file
shows its located error and creates nothing. No admin screen fetches from another host.

The admin is outside the CSP (Wagtail needs inline scripts), so CSP is not asserted here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from example_site.home.models import StandardPage
from tests.browser.fixtures import PageWatch
from tests.browser.helpers import (
    EDITOR_READY,
    MAP_ADD_URL,
    MAP_PUBLISHED_URL,
    TIMEOUT,
    log_in_as_editor,
    open_map,
    page_showing,
    publish,
    visitor_page,
)
from tests.factories import location_block, make_home
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def home(transactional_db):
    return make_home("accueil-admin")


@pytest.fixture
def editor(page, live_server, django_user_model, home):
    """The ``page`` fixture, logged into the admin through its login form."""
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    return page


def test_import_a_umap_backup_publish_it_and_see_it_on_a_page(
    editor, watch, live_server, browser, home
):
    page = editor
    assert page.locator("input[name=title]").input_value() == ""
    # The map editor reads the file through the server and fills the title left empty.
    page.locator(EDITOR_READY).wait_for(timeout=TIMEOUT)
    page.set_input_files(".umap-editor__file", str(FIXTURES / "test_upload_data.umap"))
    page.locator(".umap-editor__status", has_text="importés").wait_for(timeout=TIMEOUT)
    publish(page)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)

    map_ = Map.objects.get()
    assert map_.live and not map_.has_unpublished_changes
    assert map_.title  # taken from the file, as the title was left empty
    assert [layer["name"] for layer in map_.layers] == ["Cities", "Tunnels"]
    # The editor lands on the next step, “Put this map on a page”, titled after the map.
    assert page.get_by_label("Titre de la page").input_value() == map_.title
    assert watch.outside_requests == [], watch.outside_requests

    # The editor puts it on a page (through the ORM); an anonymous visitor opens that page.
    shown = page_showing(home, map_, "Villes et tunnels", "villes-et-tunnels")
    points = sum(
        1
        for layer in map_.full_document()["layers"]
        for feature in layer["features"]
        if feature["geometry"]["type"] == "Point"
    )
    assert points > 0

    visitor_watch = PageWatch()
    with visitor_page(browser, visitor_watch) as visitor:
        section = open_map(visitor, f"{live_server.url}{shown.url}")
        assert section.locator(".umap-viewer__title").inner_text() == map_.title
        assert section.locator(".umap-marker").count() == points
        assert set(section.locator(".umap-viewer__layer-title").all_inner_texts()) == {
            "Cities",
            "Tunnels",
        }
        assert visitor_watch.console_errors == []
        assert visitor_watch.outside_requests == []


def test_a_latitude_of_95_shows_a_located_error_and_creates_no_map(editor, watch, tmp_path):
    page = editor
    bad = tmp_path / "ecoles.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "École du Nord"},
                        "geometry": {"type": "Point", "coordinates": [2.35, 95]},
                    }
                ],
            }
        )
    )
    page.fill("input[name=title]", "Écoles")
    page.fill("textarea[name=summary], input[name=summary]", "Les écoles de la commune.")
    page.locator(EDITOR_READY).wait_for(timeout=TIMEOUT)
    page.set_input_files(".umap-editor__file", str(bad))
    # The map editor shows the server's located error and keeps the map as it was.
    error = page.locator(".umap-editor__errors").filter(has_text="95")
    error.first.wait_for(timeout=TIMEOUT)
    assert "ecoles.geojson" in error.first.inner_text()
    assert page.locator(".umap-editor__layer").count() == 0
    assert Map.objects.count() == 0
    assert watch.outside_requests == [], watch.outside_requests


def test_editing_a_page_with_a_location_block_fetches_nothing_from_other_hosts(
    editor, watch, live_server, home
):
    """wagtail-geo-widget's stock widget loads Leaflet from a CDN and OSM tiles: ours must not."""
    page = editor
    located = home.add_child(
        instance=StandardPage(
            title="Mairie",
            slug="mairie",
            body=[
                location_block(),
            ],
        )
    )
    located.save_revision().publish()
    page.goto(f"{live_server.url}/admin/pages/{located.pk}/edit/")
    picker = page.locator(".leaflet-container").first
    picker.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    assert watch.outside_requests == [], watch.outside_requests
    assert {re.sub(r"^https://([^/]+)/.*$", r"\1", url) for url in watch.tile_requests} <= {
        "data.geopf.fr"
    }
