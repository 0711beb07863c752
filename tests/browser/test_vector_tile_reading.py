"""How the viewer reads a layer's vector-tile archive (tiles.js, tiles-worker.js), in
Chromium: the header comes once, the tiles of a view come together in one range request,
and once the map is still the worker reads the next zoom ahead, so that a zoom in asks the
server nothing and the features stay clickable (docs/large-data.md, "Vector tiles")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import click_map_at, open_map
from tests.browser.test_public_map import standard_page
from tests.browser.test_vector_tiles import parcels
from tests.factories import layer, make_map
from wagtail_umap.models import VectorTiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30_000
RANGE = re.compile(r"bytes=(\d+)-(\d+)")
ARCHIVE_URLS = re.compile(r"\.pmtiles(\?|$)")  # the archive, its edition (?v=) or not


def drawn_tiles(page, dom_id: str) -> int:
    """Canvas tiles of the map that have features drawn (an empty one keeps one pixel)."""
    return page.evaluate(
        f"""() => [...document.querySelectorAll('#{dom_id} canvas.umap-data-tile')]
            .filter(c => c.width > 1).length"""
    )


def wait_until_quiet(page, ranges: list, seconds: float = 1.5) -> None:
    """Until no range request of the archive was made for ``seconds`` (the read-ahead done).
    Playwright's waits, not time.sleep: its events (the requests) arrive during them."""
    for _ in range(15):
        seen = len(ranges)
        page.wait_for_timeout(seconds * 1000)
        if len(ranges) == seen:
            return
    pytest.fail("the archive was still being read after 20 s")


def test_tiles_are_read_together_and_ahead(live_home, tile_thresholds, page, watch, live_server):
    map_ = make_map("Parcelles", layers=[layer("Parcelles", *parcels(3000))])
    digest = map_.layers[0]["data"]["digest"]
    assert VectorTiles.objects.get(layer_data_id=digest).ready
    standard_page(live_home, "Parcelles", "parcelles", map_)

    ranges = []  # (first, last) byte of each range request of the archive, in order

    def record(request):
        if urlsplit(request.url).path.endswith(".pmtiles"):  # its edition in the query
            found = RANGE.match(request.headers.get("range", ""))
            ranges.append((int(found[1]), int(found[2])) if found else None)

    page.on("request", record)
    section = open_map(page, live_server.url + "/parcelles/", "Parcelles", timeout=TIMEOUT)
    dom_id = section.get_attribute("id")
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('#{dom_id} canvas.umap-data-tile')]
            .some(c => c.width > 1)""",
        timeout=TIMEOUT,
    )
    first_view = list(ranges)
    # The header and root directory first (from the page's thread), then the tiles in view:
    # several tiles, one request at most (none when they lie in the first bytes).
    assert first_view[0] == (0, 16383)
    assert drawn_tiles(page, dom_id) >= 2
    assert len(first_view) <= 2, first_view

    # Once still, the worker reads ahead (the next zoom's tiles)...
    wait_until_quiet(page, ranges)
    assert len(ranges) > len(first_view)
    # ... so a zoom in draws its tiles with the archive unreachable.
    page.route(ARCHIVE_URLS, lambda route: route.abort())
    zoom = page.evaluate(f"() => wagtailUmap.get('{dom_id}').map.getZoom()")
    page.evaluate(f"() => wagtailUmap.get('{dom_id}').map.setZoom({zoom + 1}, {{animate: false}})")
    page.wait_for_function(
        f"""() => {{ const map = wagtailUmap.get('{dom_id}').map; let loading = false;
            map.eachLayer(l => {{ if (l.isLoading && !(l instanceof L.TileLayer) && l.isLoading())
              loading = true; }});
            return map.getZoom() === {zoom + 1} && !loading; }}""",
        timeout=TIMEOUT,
    )
    assert drawn_tiles(page, dom_id) >= 2
    wait_until_quiet(page, ranges)  # the new view's read-ahead, refused: read again when needed
    page.unroute(ARCHIVE_URLS)
    # Chromium logs each refused request as a failed load; nothing else may be logged.
    watch.console_errors[:] = [error for error in watch.console_errors if "ERR_FAILED" not in error]

    assert None not in ranges  # the archive is read by ranges, never whole
    # The features of the tiles read ahead are clickable: near the centre, parcel 1531
    # (row 25, column 30) has its popup with its name.
    click_map_at(page, dom_id, 47.015, 2.515)
    title = section.locator(".umap-popup__title")
    title.wait_for(timeout=TIMEOUT)
    assert title.inner_text() == "Parcelle 1531"
    watch.assert_clean()
