"""A layer removed from a map, by a publish: the URLs named after its id (its downloads and its
feature list) answer a clean 404, not an error, and the map's other layers still answer."""

from __future__ import annotations

import pytest

from tests.factories import layer, make_map, point
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db


def layer_urls(map_id: int, layer_id: str) -> list[str]:
    return [
        f"/cartes/{map_id}/layers/{layer_id}.geojson",
        f"/cartes/{map_id}/layers/{layer_id}.csv",
        f"/cartes/{map_id}/layers/{layer_id}/features/",
        f"/cartes/{map_id}/layers/{layer_id}/features/?partial=1&page=2",
    ]


def test_urls_of_a_removed_layer_answer_404(client):
    points = [point(2 + i / 100, 47, f"Point {i}") for i in range(3)]
    map_ = make_map(layers=[layer("Écoles", *points), layer("Collèges", *points)])
    kept, removed = (item["id"] for item in map_.layers)
    assert client.get(f"/cartes/{map_.pk}/layers/{removed}.geojson").status_code in (200, 302)

    map_ = Map.objects.get(pk=map_.pk)
    document = map_.full_document()
    document["layers"] = [item for item in document["layers"] if item["id"] == kept]
    map_.set_document(document)
    map_.save_revision().publish()

    for url in layer_urls(map_.pk, removed):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Traceback" not in response.content
    assert client.get(f"/cartes/{map_.pk}/layers/{kept}.geojson").status_code in (200, 302)
    assert client.get(f"/cartes/{map_.pk}/layers/never-there.kml").status_code == 404
