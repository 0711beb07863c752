"""A large layer's vector tiles over HTTP (viewer/tiles.py): range requests on the archive,
one feature by its offsets, the data URL's access rule (no draft, no unpublished or private
map), and the viewer configuration that names a ready archive."""

import json

import pytest
from pmtiles.reader import MemorySource, Reader

from tests.factories import document, layer, make_map, point
from tests.mvt import decode
from wagtail_umap.core.vector_tiles import project
from wagtail_umap.models import VectorTiles
from wagtail_umap.models.vector_tiles import build_vector_tiles, request_tiles

pytestmark = pytest.mark.django_db

POINTS = [point(2.0 + (i % 30) * 0.01, 47.0 + (i // 30) * 0.01, f"Borne {i}") for i in range(90)]


@pytest.fixture(autouse=True)
def small_thresholds(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10, "CLUSTER_MIN_POINTS": 50}


def tiled_map(**kwargs):
    map_ = make_map(layers=[layer("Bornes", *POINTS)], **kwargs)
    digest = map_.layers[0]["data"]["digest"]
    assert build_vector_tiles(digest).state == VectorTiles.READY
    return map_, digest


def tile_of(lng, lat, zoom):
    x, y = project(lng, lat)
    return int(x * 2**zoom), int(y * 2**zoom)


def tiles_url(map_, digest):
    return f"/cartes/data/{map_.pk}/{digest}.pmtiles"


def test_a_large_layer_is_wanted_and_a_small_one_is_not():
    map_ = make_map(layers=[layer("Bornes", *POINTS), layer("Deux", *POINTS[:2])])
    big, small = (item["data"]["digest"] for item in map_.layers)
    assert request_tiles({big, small}) == [big]


def test_the_archive_answers_ranges_with_immutable_caching(client):
    map_, digest = tiled_map()
    url = tiles_url(map_, digest)
    whole = client.get(url)
    assert whole.status_code == 200
    body = b"".join(whole.streaming_content) if whole.streaming else whole.content
    assert body[:7] == b"PMTiles"
    assert whole["Accept-Ranges"] == "bytes"
    assert "immutable" in whole["Cache-Control"] and "max-age=31536000" in whole["Cache-Control"]
    part = client.get(url, headers={"Range": "bytes=0-126"})
    assert part.status_code == 206
    assert part.content == body[:127]
    assert part["Content-Range"] == f"bytes 0-126/{len(body)}"
    assert part["ETag"] == whole["ETag"]
    suffix = client.get(url, headers={"Range": "bytes=-10"})
    assert suffix.status_code == 206 and suffix.content == body[-10:]
    beyond = client.get(url, headers={"Range": f"bytes={len(body)}-"})
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(body)}"
    again = client.get(url, headers={"If-None-Match": whole["ETag"], "Range": "bytes=0-10"})
    assert again.status_code == 304 and again.content == b""
    # What a browser reads: a tile with the points, their names and indexes.
    reader = Reader(MemorySource(body))
    last = reader.header()["max_zoom"]
    found = {}
    x0, y0 = tile_of(2.0, 47.3, last)
    x1, y1 = tile_of(2.3, 47.0, last)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            data = reader.get(last, x, y)
            for feature in decode(data)["features"] if data else []:
                found[feature["id"]] = feature["tags"]["name"]
    assert found == {i: f"Borne {i}" for i in range(90)}


def test_one_feature_by_its_index(client):
    map_, _digest = tiled_map()
    response = client.get(f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/42.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = json.loads(response.content)
    assert feature["properties"]["name"] == "Borne 42"
    assert feature["geometry"]["coordinates"] == POINTS[42]["geometry"]["coordinates"]
    last = client.get(f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/89.geojson")
    assert json.loads(last.content)["properties"]["name"] == "Borne 89"
    missing = client.get(f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/90.geojson")
    assert missing.status_code == 404


def test_no_archive_before_it_is_built(client):
    map_ = make_map(layers=[layer("Bornes", *POINTS)])
    digest = map_.layers[0]["data"]["digest"]
    assert client.get(tiles_url(map_, digest)).status_code == 404
    feature = f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/1.geojson"
    assert client.get(feature).status_code == 404


def test_an_unpublished_map_tiles_are_not_public(client):
    map_, digest = tiled_map()
    map_.unpublish()
    assert client.get(tiles_url(map_, digest)).status_code == 404
    feature = f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/1.geojson"
    assert client.get(feature).status_code == 404


def test_a_draft_layer_tiles_are_not_public(client):
    map_ = make_map()
    draft = map_.get_latest_revision_as_object()
    draft.set_document(document(layer("Brouillon", *POINTS)))
    draft.save_revision()
    digest = draft.layers[0]["data"]["digest"]
    assert build_vector_tiles(digest).state == VectorTiles.READY
    response = client.get(tiles_url(map_, digest), headers={"Range": "bytes=0-126"})
    assert response.status_code == 404


def test_a_private_map_tiles_are_refused_to_anonymous_visitors(client):
    map_, digest = tiled_map(shared=False)
    # Not shared publicly and shown on no public page: nobody outside the admin sees it.
    assert client.get(tiles_url(map_, digest)).status_code == 404


def test_the_viewer_config_names_the_ready_archive(client):
    from wagtail_umap.viewer.build import viewer_map_for
    from wagtail_umap.viewer.config import viewer_config

    map_ = make_map(layers=[layer("Bornes", *POINTS)])
    config = viewer_config(viewer_map_for(map_))
    assert config["layers"][0]["render"] == "cluster"
    assert config["layers"][0]["tiles"] is None  # not built yet: today's data URL
    build_vector_tiles(map_.layers[0]["data"]["digest"])
    tiles = viewer_config(viewer_map_for(map_))["layers"][0]["tiles"]
    assert tiles["url"] == tiles_url(map_, map_.layers[0]["data"]["digest"])
    assert tiles["featureUrl"].endswith("/features/{index}.geojson")
    assert tiles["kind"] == "points" and tiles["minZoom"] < tiles["maxZoom"]


CATEGORIES = {"type": "categorized", "field": "operateur"}


def test_a_map_that_styles_by_a_property_gets_tiles_that_carry_it(client):
    from wagtail_umap.models.vector_tiles import document_style_keys

    features = [dict(feature, properties={**feature["properties"]}) for feature in POINTS]
    for i, feature in enumerate(features):
        feature["properties"].update(operateur=f"Op {i % 3}", secret="ne voyage pas")
    plain = make_map(layers=[layer("Bornes", *features)])
    digest = plain.layers[0]["data"]["digest"]
    first = build_vector_tiles(digest)
    assert first.keys == [] and first.config()["version"] == f"v{VectorTiles.BUILDER_VERSION}"
    etag = client.get(tiles_url(plain, digest))["ETag"]

    # The same data, styled by category: published, its tiles are built again with the
    # category's property (and only it), under a new file name, edition and ETag.
    styled = make_map(layers=[layer("Bornes", *features, representation=CATEGORIES)])
    keys = document_style_keys(styled.document)
    assert keys == {digest: ["operateur"]}
    assert request_tiles({digest}, keys) == [digest]
    second = build_vector_tiles(digest, keys[digest])
    assert second.keys == ["operateur"]
    assert second.name != first.name and second.config()["version"].startswith(
        f"v{VectorTiles.BUILDER_VERSION}-"
    )
    assert request_tiles({digest}, keys) == []  # carried now: nothing to build
    assert client.get(tiles_url(styled, digest))["ETag"] != etag
    # A build asking for fewer keys keeps the archive that carries more.
    assert build_vector_tiles(digest).keys == ["operateur"]

    whole = client.get(tiles_url(styled, digest))
    body = b"".join(whole.streaming_content) if whole.streaming else whole.content
    reader = Reader(MemorySource(body))
    last = reader.header()["max_zoom"]
    x, y = tile_of(2.0, 47.0, last)
    tags = {f["id"]: f["tags"] for f in decode(reader.get(last, x, y))["features"]}
    assert tags[0] == {"name": "Borne 0", "operateur": "Op 0"}


def test_the_purge_names_the_archive_as_the_viewer_reads_it():
    from wagtail_umap.sharing.purge import map_paths

    map_, digest = tiled_map()
    paths = map_paths(map_)
    assert tiles_url(map_, digest) in paths
    assert (
        f"{tiles_url(map_, digest)}?v=v{VectorTiles.BUILDER_VERSION}" in paths
    )  # the edition the viewer's URL holds


def test_a_build_that_finishes_after_one_carrying_more_keeps_that_one(monkeypatch):
    # A layer stored (a build without keys starts), then its map published styled by a
    # property (a build with it, in another worker) which finishes first: the first build
    # must not replace it. The interleaving: the second build runs while the first reads.
    from django.core.files.storage import default_storage

    from wagtail_umap.models import vector_tiles

    features = [dict(f, properties={**f["properties"], "operateur": "A"}) for f in POINTS]
    map_ = make_map(layers=[layer("Bornes", *features)])
    digest = map_.layers[0]["data"]["digest"]
    real = vector_tiles.stored_feature_batches

    def batches_while_another_build_runs(wanted):
        monkeypatch.setattr(vector_tiles, "stored_feature_batches", real)
        assert build_vector_tiles(digest, ["operateur"]).keys == ["operateur"]
        yield from real(wanted)

    monkeypatch.setattr(vector_tiles, "stored_feature_batches", batches_while_another_build_runs)
    kept = build_vector_tiles(digest)
    assert kept.keys == ["operateur"]
    row = VectorTiles.objects.get(pk=digest)
    assert row.keys == ["operateur"] and row.ready
    assert default_storage.exists(row.name)
