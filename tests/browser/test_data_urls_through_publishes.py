"""An embed opened before a publish still loads its layers after it (Chromium)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import TIMEOUT, status_text, wait_until_ready
from tests.factories import layer, make_map, point, root_page
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)


def schools(version: int) -> list[dict]:
    return [layer("Écoles", *(point(2 + i / 100, 47, f"École {i} v{version}") for i in range(30)))]


def test_an_embed_opened_before_a_publish_still_loads_after_it(page, live_server, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "INLINE_LAYER_MAX_BYTES": 0}
    root_page()
    map_ = make_map("Écoles", layers=schools(1))
    held, statuses, holding = [], [], [True]

    def hold(route):
        if holding[0]:
            held.append(route)
        else:
            route.fallback()

    page.route("**/cartes/data/**", hold)
    page.on(
        "response",
        lambda response: (
            statuses.append(response.status) if "/cartes/data/" in response.url else None
        ),
    )
    page.goto(live_server.url + reverse("wagtail_umap:embed", args=[map_.pk]))
    for _ in range(100):  # the page is there, its layer's request is on its way
        if held:
            break
        page.wait_for_timeout(100)
    assert held
    # Meanwhile, an editor publishes a new version of the map.
    edited = Map.objects.get(pk=map_.pk)
    edited.set_document({"options": edited.options, "layers": schools(2)})
    edited.save_revision().publish()
    holding[0] = False
    for route in held:
        route.fallback()  # on its way to the server, after the publish
    section = wait_until_ready(page, page.locator("section[data-umap-viewer]"), timeout=TIMEOUT)
    assert statuses and set(statuses) == {200}
    assert "pas pu être chargé" not in status_text(section)
    # The version the page named, not the new one: the page and its data agree.
    assert page.locator(".umap-viewer__feature-name", has_text="École 0 v1").count() == 1
