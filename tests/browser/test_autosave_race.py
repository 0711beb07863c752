"""Publishing a new map while Wagtail's first autosave of it is still on its way.

That autosave creates the map and only then points the form at the edit view: a Publish posted
before its answer went to the add view and created the map a second time (seen on a loaded
server). The editor's save path (js/editor/save.js) holds the post until the autosave answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wagtail.admin.views.generic import mixins as wagtail_mixins

from tests.browser.helpers import (
    MAP_ADD_URL,
    MAP_PUBLISHED_URL,
    TIMEOUT,
    log_in_as_editor,
    publish,
    wait_for_editor,
)
from tests.factories import make_home
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

WAGTAIL_AUTOSAVES = "WAGTAIL_AUTOSAVE_INTERVAL" in Path(wagtail_mixins.__file__).read_text()


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_publish_during_the_first_autosave_creates_the_map_once(
    page, live_server, django_user_model
):
    make_home("accueil-autosauvegarde")
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    held = []

    def hold_autosaves(route):
        # Wagtail's autosave posts the form to the add view, asking for JSON: held back.
        request = route.request
        if request.method == "POST" and "json" in (request.headers.get("accept") or ""):
            held.append(route)
        else:
            route.fallback()

    page.route("**/admin/snippets/wagtail_umap/map/add/**", hold_autosaves)
    page.wait_for_timeout(2500)  # Wagtail takes the form's initial state 2 s after load
    page.fill("input[name=title]", "Une seule carte")
    page.fill("textarea[name=summary]", "Publiée pendant l'autosauvegarde.")
    for _ in range(120):
        if held:
            break
        page.wait_for_timeout(250)
    assert held, "Wagtail's autosave never posted"

    publish(page)
    page.wait_for_timeout(1500)
    assert Map.objects.count() == 0  # the post waits for the autosave

    held[0].fallback()  # the autosave reaches the server and creates the map
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    for _ in range(120):
        if Map.objects.filter(live=True).exists():
            break
        page.wait_for_timeout(250)
    assert list(Map.objects.values_list("title", "live")) == [("Une seule carte", True)]
