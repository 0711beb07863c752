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


def new_map_with_its_first_autosave_held(page, title: str, summary: str, first_only: bool):
    """The map's add view, a title and summary typed, and Wagtail's autosave (its form posted
    for JSON) held back: the routes held, to be let through by the test (``route.fallback()``).
    ``first_only``: later autosaves pass; else every autosave to the add view is held."""
    held = []

    def hold(route):
        request = route.request
        asks_json = "json" in (request.headers.get("accept") or "")
        if request.method == "POST" and asks_json and not (first_only and held):
            held.append(route)
        else:
            route.fallback()

    views = "**/admin/snippets/wagtail_umap/map/" + ("**" if first_only else "add/**")
    page.route(views, hold)
    page.wait_for_timeout(2500)  # Wagtail takes the form's initial state 2 s after load
    page.fill("input[name=title]", title)
    page.fill("textarea[name=summary]", summary)
    for _ in range(120):
        if held:
            break
        page.wait_for_timeout(250)
    assert held, "Wagtail's autosave never posted"
    return held


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_publish_during_the_first_autosave_creates_the_map_once(
    page, live_server, django_user_model
):
    make_home("accueil-autosauvegarde")
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    held = new_map_with_its_first_autosave_held(
        page, "Une seule carte", "Publiée pendant l'autosauvegarde.", first_only=False
    )

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


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_a_marker_drawn_while_the_first_autosave_is_on_its_way_is_autosaved_after_it(
    page, live_server, django_user_model
):
    # Wagtail retakes its unsaved-changes snapshot when the first autosave succeeds: a marker
    # drawn meanwhile must still reach a later autosave (save.js sends a changed layer before
    # the next autosave, and keepChangesMadeInFlight tells Wagtail the form changed).
    from tests.browser.test_editor import draw

    make_home("accueil-en-vol")
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    held = new_map_with_its_first_autosave_held(
        page, "Dessinée en vol", "Un marqueur dessiné pendant la création.", first_only=True
    )
    draw(page, "Ajouter un marqueur", (0.5, 0.5))  # while the map is being created
    held[0].fallback()
    page.wait_for_function("() => location.pathname.includes('/map/edit/')", timeout=3 * TIMEOUT)
    counts = []
    for _ in range(160):
        map_ = Map.objects.filter(title="Dessinée en vol").first()
        revision = map_ and map_.latest_revision
        if revision is not None:
            counts = [
                layer["data"]["feature_count"] for layer in revision.content["document"]["layers"]
            ]
            if counts == [1]:
                break
        page.wait_for_timeout(250)
    assert Map.objects.count() == 1
    assert counts == [1], "the marker drawn during the first autosave was never autosaved"
