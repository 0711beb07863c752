"""Maps in Wagtail's API: published maps only, as published, with ETags."""

import json

import pytest

from tests.factories import layer, make_map, point

pytestmark = pytest.mark.django_db

API = "/api/v2/maps/"


@pytest.fixture
def published():
    return make_map(
        "Écoles et parcs",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A"), point(2.36, 48.86, "École B")),
            layer("Parcs", point(2.37, 48.87, "Parc C")),
        ],
    )


def test_listing_shows_published_maps_only(client, published):
    draft = make_map("Brouillon secret", publish=False)
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    (item,) = data["items"]
    assert item["id"] == published.pk
    assert item["title"] == "Écoles et parcs"
    assert item["summary"] == "Résumé de Écoles et parcs"
    assert item["meta"]["layer_count"] == 2
    assert item["meta"]["feature_count"] == 3
    assert item["meta"]["detail_url"].endswith(f"{API}{published.pk}/")
    assert item["meta"]["urls"]["embed"] == f"http://testserver/cartes/{published.pk}/embed/"
    assert "GeoJSON" in item["meta"]["urls"]["downloads"]
    assert "Brouillon secret" not in response.content.decode()
    assert client.get(f"{API}{draft.pk}/").status_code == 404


def test_detail_has_options_and_layers_with_their_geojson_urls(client, published):
    data = client.get(f"{API}{published.pk}/").json()
    assert data["title"] == "Écoles et parcs"
    assert data["options"]["basemap"] == "plan_ign"
    names = [item["name"] for item in data["layers"]]
    assert names == ["Écoles", "Parcs"]
    first = data["layers"][0]
    assert first["feature_count"] == 2
    assert first["geojson_url"] == (
        f"http://testserver{API}{published.pk}/layers/{published.layers[0]['id']}/"
    )
    assert first["data_url"].startswith(f"http://testserver/cartes/data/{published.pk}/")
    assert "features" not in first  # the features live at the layer's URL


def test_layer_geojson_with_etag_and_304(client, published):
    url = client.get(f"{API}{published.pk}/").json()["layers"][0]["geojson_url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["name"] for f in collection["features"]} == {"École A", "École B"}
    etag = response["ETag"]
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(f"{API}{published.pk}/layers/inconnue/").status_code == 404


def test_listing_and_detail_answer_304_to_their_etag(client, published):
    for url in (API, f"{API}{published.pk}/"):
        response = client.get(url)
        etag = response["ETag"]
        assert etag.startswith('"') and "public" in response["Cache-Control"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_etag_changes_when_the_map_is_republished(client, published):
    before = client.get(f"{API}{published.pk}/")["ETag"]
    published.title = "Écoles, parcs et jardins"
    published.save_revision().publish()
    after = client.get(f"{API}{published.pk}/")
    assert after["ETag"] != before
    assert after.json()["title"] == "Écoles, parcs et jardins"


def test_unpublished_changes_never_show(client, published):
    published.title = "Titre du brouillon"
    published.save_revision()
    for url in (API, f"{API}{published.pk}/"):
        body = client.get(url).content.decode()
        assert "Titre du brouillon" not in body
        assert "Écoles et parcs" in body


def test_unpublished_map_leaves_the_api(client, published):
    layer_id = published.layers[0]["id"]
    published.unpublish()
    assert client.get(API).json()["meta"]["total_count"] == 0
    assert client.get(f"{API}{published.pk}/").status_code == 404
    assert client.get(f"{API}{published.pk}/layers/{layer_id}/").status_code == 404


def test_the_list_filters_by_language(client):
    from wagtail.models import Locale

    french = make_map("Carte française")
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    english = french.copy_for_translation(english_locale)
    english.title = "English map"
    english.save()
    english.save_revision().publish()
    titles = lambda query: [m["title"] for m in client.get(f"/api/v2/maps/{query}").json()["items"]]  # noqa: E731
    assert titles("?locale=en") == ["English map"]
    assert titles("?locale=fr") == ["Carte française"]
    assert sorted(titles("")) == ["Carte française", "English map"]


def test_search_finds_maps_by_title_and_summary(client, published):
    make_map("Bureaux de vote")
    assert [item["title"] for item in client.get(f"{API}?search=vote").json()["items"]] == [
        "Bureaux de vote"
    ]
    found = client.get(f"{API}?search=parcs").json()["items"]
    assert [item["id"] for item in found] == [published.pk]
    assert client.get(f"{API}?search=introuvable").json()["items"] == []


def test_search_and_order_together(client, published):
    make_map("Écoles maternelles")
    response = client.get(f"{API}?search=écoles&order=title")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [
        "Écoles et parcs",
        "Écoles maternelles",
    ]


def test_order_and_field_filters(client, published):
    make_map("Aires de jeux")
    titles = [item["title"] for item in client.get(f"{API}?order=title").json()["items"]]
    assert titles == sorted(titles)
    found = client.get(f"{API}?title=Aires de jeux").json()["items"]
    assert [item["title"] for item in found] == ["Aires de jeux"]


def test_detail_url_uses_the_request_host(client, published):
    """A site reached as carto.example.org (another name than its Site's hostname) gets URLs
    on that host, like every other URL of the answer."""
    item = client.get(API, HTTP_HOST="carto.example.org").json()["items"][0]
    assert item["meta"]["detail_url"] == f"http://carto.example.org{API}{published.pk}/"
    assert item["meta"]["urls"]["embed"].startswith("http://carto.example.org/")
    detail = client.get(f"{API}{published.pk}/", HTTP_HOST="carto.example.org").json()
    assert detail["meta"]["detail_url"] == f"http://carto.example.org{API}{published.pk}/"


def test_detail_url_follows_wagtailapi_base_url_when_set(client, published, settings):
    settings.WAGTAILAPI_BASE_URL = "https://api.example.org"
    item = client.get(API, HTTP_HOST="carto.example.org").json()["items"][0]
    assert item["meta"]["detail_url"] == f"https://api.example.org{API}{published.pk}/"


def test_a_private_map_is_left_out_and_its_layers_too(client, published):
    private = make_map("Registre", shared=False)
    titles = [item["title"] for item in client.get(API).json()["items"]]
    assert titles == ["Écoles et parcs"]
    assert client.get(f"{API}{private.pk}/").status_code == 404
    layer_id = private.layers[0]["id"]
    assert client.get(f"{API}{private.pk}/layers/{layer_id}/").status_code == 404
    assert client.get(f"{API}?search=registre").json()["items"] == []
