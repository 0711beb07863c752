"""The 100,000-point demo map edited in Chromium: rename one point, and it is saved by
Wagtail's autosave, by "Save draft" (in place, no reload) and by "Publish". The changed layer
travels once to the layer endpoint (gzip, with a progress bar); the form posts references
only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.admin.views.generic import mixins as wagtail_mixins

from example_site.home.demo_large import POINTS, build_map
from tests.browser.helpers import (
    log_in_as_editor,
    publish,
    save_draft_button,
    saved_in_place,
    wait_for_editor,
)
from tests.factories import root_page
from wagtail_umap.models import Map

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "WAGTAIL_AUTOSAVE_INTERVAL" not in Path(wagtail_mixins.__file__).read_text(),
        reason="this Wagtail has no autosave",
    ),
]
EDITOR_LOAD = 240_000  # a loaded 2-CPU machine opens the 100,000-point editor in 20 to 60 s
SAVE = 180_000


def names(document: dict, indexes: list[int]) -> list[str]:
    return [document["layers"][0]["features"][i]["properties"]["name"] for i in indexes]


def latest(map_: Map) -> dict:
    return Map.objects.get(pk=map_.pk).latest_revision.as_object().full_document()


def rename(page, index: int, name: str) -> None:
    """Select a feature from the layer's list (the page holding it) and rename it."""
    page.evaluate(
        """([index]) => {
            const editor = document.querySelector('.umap-editor').umapEditor;
            const layer = editor.state.layers[0];
            editor.state.select(layer.features[index]);
        }""",
        [index],
    )
    field = page.get_by_label("Nom", exact=True)
    field.fill(name)
    field.press("Tab")


def wait_for_revision(page, map_: Map, index: int, name: str) -> None:
    for _ in range(SAVE // 500):
        if names(latest(map_), [index]) == [name]:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"no revision with {name!r}")


def test_rename_one_point_of_the_national_map_autosave_draft_and_publish(
    page, live_server, django_user_model, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 500
    # The editor's save path only: with the immediate task backend each stored layer would also
    # build its vector tiles in the request (test_vector_tiles.py covers them).
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "VECTOR_TILES": False}
    root_page()
    map_ = build_map()
    assert map_.feature_count == POINTS
    posts, uploads = [], []

    def record(request):
        if request.method != "POST":
            return
        if "/editor/layer/" in request.url:
            uploads.append(len(request.post_data_buffer or b""))
        elif "/map/edit/" in request.url:
            posts.append(len(request.post_data_buffer or b""))

    page.on("request", record)
    edit_url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    page.set_default_timeout(SAVE)
    log_in_as_editor(page, live_server, django_user_model, "/admin/")
    page.goto(live_server.url + edit_url, timeout=EDITOR_LOAD)
    wait_for_editor(page, timeout=EDITOR_LOAD)
    page.wait_for_timeout(2500)  # Wagtail takes the form's initial state 2 s after load

    # 1. Autosave: nothing to click.
    rename(page, 0, "Borne renommée par l’autosauvegarde")
    page.locator(".umap-editor__saving progress").wait_for(state="attached")
    wait_for_revision(page, map_, 0, "Borne renommée par l’autosauvegarde")
    assert uploads and max(uploads) < 4_000_000  # 100,000 points, gzip: about 2 MB
    assert posts and max(posts) < 100_000  # the form: references only

    # 2. Save draft.
    rename(page, 1, "Borne renommée au brouillon")
    started = time.monotonic()
    saved = saved_in_place(page, save_draft_button(page), SAVE)
    saved_in = time.monotonic() - started
    assert saved  # without a reload: the editor stays as it is
    assert page.locator(".messages .error").count() == 0
    assert "enregistrée en brouillon" in page.locator(".messages .success").inner_text()
    draft = latest(map_)
    assert names(draft, [0, 1]) == [
        "Borne renommée par l’autosauvegarde",
        "Borne renommée au brouillon",
    ]
    assert len(draft["layers"][0]["features"]) == POINTS
    live = Map.objects.get(pk=map_.pk).full_document()
    assert names(live, [1]) != ["Borne renommée au brouillon"]  # a draft only

    # 3. Publish.
    page.wait_for_timeout(2500)
    rename(page, 2, "Borne renommée et publiée")
    with page.expect_navigation(timeout=SAVE):
        publish(page)
    page.wait_for_url("**/snippets/wagtail_umap/map/**", timeout=SAVE)
    live = Map.objects.get(pk=map_.pk).full_document()
    assert names(live, [0, 1, 2]) == [
        "Borne renommée par l’autosauvegarde",
        "Borne renommée au brouillon",
        "Borne renommée et publiée",
    ]
    assert len(live["layers"][0]["features"]) == POINTS
    assert max(posts) < 100_000
    assert len(uploads) <= 4  # the changed layer, once per save (an autosave may add one)
    print(  # pytest -s: the figures of docs/editor.md
        f"\nlayer uploads (bytes): {uploads}; form posts (bytes): {posts}; "
        f"Save draft, click to the server's answer (in place): {saved_in:.1f} s"
    )
