import pytest

from tests.factories import document, layer, make_map, point

pytestmark = pytest.mark.django_db


def data_url(map_) -> str:
    return f"/cartes/data/{map_.pk}/{map_.layers[0]['data']['digest']}.geojson"


def test_live_layer_data_is_served_with_immutable_caching(client):
    map_ = make_map()
    response = client.get(data_url(map_))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["features"][0]["properties"]["name"] == "École A"
    assert response["ETag"] == f'"{map_.layers[0]["data"]["digest"]}"'
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]


def test_revalidation_costs_no_body(client):
    map_ = make_map()
    url = data_url(map_)
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_draft_map_data_is_not_public(client):
    map_ = make_map(publish=False)
    assert client.get(data_url(map_)).status_code == 404


def test_data_of_an_unpublished_map_is_not_public(client):
    map_ = make_map()
    url = data_url(map_)
    map_.unpublish()
    assert client.get(url).status_code == 404


def test_data_only_a_draft_uses_is_not_public(client):
    map_ = make_map()
    draft = map_.get_latest_revision_as_object()
    draft.set_document(document(layer("Secret", point(7, 7, "Brouillon"))))
    draft.save_revision()
    draft_digest = draft.layers[0]["data"]["digest"]
    assert client.get(f"/cartes/data/{map_.pk}/{draft_digest}.geojson").status_code == 404
    assert client.get(data_url(map_)).status_code == 200


def test_post_is_refused(client):
    map_ = make_map()
    assert client.post(data_url(map_)).status_code == 405
