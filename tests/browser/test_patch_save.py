"""Saving a renamed feature of a 2,000-feature layer in Chromium: the editor sends a patch (the
renamed feature and the base layer's digest, a few kB), not the layer; the stored layer has the
rename and every other feature intact. A server that no longer holds the base gets the whole
layer instead."""

from __future__ import annotations

import pytest

from tests.browser.helpers import open_map_editor, save_draft
from tests.factories import layer, make_map, point, root_page
from wagtail_umap.models import LayerData, Map

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = 2000


def big_map() -> Map:
    root_page()  # the default locale (a transactional test starts from an empty database)
    features = [point(2 + i / 1000, 47 + (i % 50) / 100, f"Point {i}") for i in range(COUNT)]
    return make_map("Deux mille points", layers=[layer("Bornes", *features)])


def record_uploads(page) -> list[dict]:
    uploads = []

    def on_response(response):
        request = response.request
        if request.method == "POST" and "/editor/layer/" in request.url:
            body = request.post_data_buffer or b""
            part = "patch" if b'name="patch"' in body else "features"
            uploads.append({"size": len(body), "part": part, "status": response.status})

    page.on("response", on_response)
    return uploads


def rename(page, index: int, name: str) -> None:
    page.evaluate(
        """([index, name]) => {
            const editor = document.querySelector('.umap-editor').umapEditor;
            const feature = editor.state.layers[0].features[index];
            editor.editFeature(feature, 'test', (p) => { p.name = name; });
        }""",
        [index, name],
    )


def saved_names(map_: Map) -> list[str]:
    document = Map.objects.get(pk=map_.pk).latest_revision.as_object().full_document()
    return [f["properties"]["name"] for f in document["layers"][0]["features"]]


def test_a_rename_travels_as_a_small_patch(page, live_server, django_user_model):
    map_ = big_map()
    uploads = record_uploads(page)
    open_map_editor(page, live_server, django_user_model, map_)
    rename(page, 1234, "Borne renommée")
    save_draft(page)
    assert uploads, "the changed layer was not sent"
    assert {upload["part"] for upload in uploads} == {"patch"}
    assert all(upload["status"] == 200 for upload in uploads)
    assert max(upload["size"] for upload in uploads) < 4000  # the whole layer: ~30 kB of gzip
    names = saved_names(map_)
    expected = [f"Point {i}" for i in range(COUNT)]
    expected[1234] = "Borne renommée"
    assert names == expected

    # Then a deletion and an addition, over the layer the patch stored.
    page.evaluate(
        """() => {
            const editor = document.querySelector('.umap-editor').umapEditor;
            const layer = editor.state.layers[0];
            editor.state.apply('test', () => {
                layer.features = layer.features.filter((_, i) => i !== 10);
                layer.features.push({type: 'Feature', properties: {name: 'Ajoutée'},
                                     geometry: {type: 'Point', coordinates: [3, 48]}});
            }, {layers: [layer.id]});
        }"""
    )
    uploads.clear()
    save_draft(page)
    assert [upload["part"] for upload in uploads] == ["patch"]
    assert max(upload["size"] for upload in uploads) < 4000
    del expected[10]
    assert saved_names(map_) == [*expected, "Ajoutée"]

    # Undo of that edit and of the rename: the features put back travel as changed ones.
    page.evaluate(
        """() => {
            const editor = document.querySelector('.umap-editor').umapEditor;
            editor.undo();
            editor.undo();
        }"""
    )
    uploads.clear()
    save_draft(page)
    assert [upload["part"] for upload in uploads] == ["patch"]
    assert saved_names(map_) == [f"Point {i}" for i in range(COUNT)]


def test_a_base_the_server_no_longer_holds_sends_the_whole_layer(
    page, live_server, django_user_model
):
    map_ = big_map()
    uploads = record_uploads(page)
    open_map_editor(page, live_server, django_user_model, map_)
    digest = map_.document["layers"][0]["data"]["digest"]
    LayerData.objects.filter(digest=digest).delete()
    rename(page, 5, "Renommée après la collecte")
    save_draft(page)
    assert [(u["part"], u["status"]) for u in uploads[:2]] == [("patch", 409), ("features", 200)]
    assert uploads[1]["size"] > 10_000
    names = saved_names(map_)
    assert len(names) == COUNT and names[5] == "Renommée après la collecte"
    assert names[:5] == [f"Point {i}" for i in range(5)]
    assert page.locator(".umap-editor__save-errors").is_hidden()
