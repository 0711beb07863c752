import json

import pytest

from tests.factories import document, layer, make_map, point, square
from wagtail_umap.formats import EXPORT_FORMATS, read_map_file
from wagtail_umap.viewer.build import viewer_map_for

pytestmark = pytest.mark.django_db


def fetch(client, url: str, **headers):
    """A download as a browser gets it: the redirect to the version's file, then the file
    (streamed), with its body read."""
    response = client.get(url, follow=True, headers=headers)
    if response.status_code == 200:
        response.body = b"".join(response.streaming_content)
    return response


@pytest.fixture
def published():
    return make_map(
        "Écoles et zones",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A"), point(2.36, 48.86, "École B")),
            layer("Zones", square(2.3, 48.8, "Zone 30")),
        ],
    )


@pytest.mark.parametrize("format_name", list(EXPORT_FORMATS))
def test_whole_map_downloads_in_every_format(client, published, format_name):
    response = fetch(client, f"/cartes/{published.pk}/download.{format_name}")
    assert response.status_code == 200
    export = EXPORT_FORMATS[format_name]
    assert response["Content-Type"] == export.content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="ecoles-et-zones{export.extension}"'
    )
    reread = read_map_file(f"x{export.extension}", response.body).document
    names = {f["properties"].get("name") for layer in reread["layers"] for f in layer["features"]}
    expected = {"École A", "École B"} if format_name == "gpx" else {"École A", "École B", "Zone 30"}
    assert expected <= names  # GPX carries no polygons


def test_one_layer_downloads_alone(client, published):
    layer_id = published.layers[0]["id"]
    response = fetch(client, f"/cartes/{published.pk}/layers/{layer_id}.geojson")
    assert response.status_code == 200
    names = [f["properties"]["name"] for f in json.loads(response.body)["features"]]
    assert names == ["École A", "École B"]
    assert 'filename="ecoles-et-zones-ecoles.geojson"' in response["Content-Disposition"]


def test_downloads_revalidate_with_their_etag(client, published):
    url = f"/cartes/{published.pk}/download.geojson"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    published.set_document(document(layer("Autre", point(1, 1, "Nouveau"))))
    published.save_revision().publish()
    response = fetch(client, url, **{"If-None-Match": etag})
    assert response.status_code == 200
    assert [f["properties"]["name"] for f in json.loads(response.body)["features"]] == ["Nouveau"]


def test_downloads_serve_the_live_version_only(client, published):
    draft = published.get_latest_revision_as_object()
    draft.set_document(document(layer("Brouillon", point(5, 5, "Secret"))))
    draft.save_revision()
    body = fetch(client, f"/cartes/{published.pk}/download.umap").body.decode()
    assert "Secret" not in body and "École A" in body


def test_no_download_of_a_draft_map_or_unknown_things(client, published):
    draft = make_map("Brouillon", publish=False)
    assert client.get(f"/cartes/{draft.pk}/download.geojson").status_code == 404
    assert client.get(f"/cartes/{published.pk}/download.shp").status_code == 404
    assert client.get(f"/cartes/{published.pk}/layers/nope.geojson").status_code == 404


def test_umap_download_keeps_title_and_credits(client, published):
    published.document["options"]["credits"] = "Mairie de Belleville"
    published.save()
    backup = json.loads(fetch(client, f"/cartes/{published.pk}/download.umap").body)
    assert backup["type"] == "umap"
    assert backup["properties"]["name"] == "Écoles et zones"
    assert "Mairie de Belleville" in json.dumps(backup["properties"], ensure_ascii=False)


def test_the_viewer_links_to_the_downloads_with_the_licence(client, published, rf):
    from django.template import Context, Template

    published.document["options"]["licence"] = {
        "name": "Licence Ouverte 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    published.save()
    html = Template("{% load wagtail_umap %}{% umap_viewer viewer_map %}").render(
        Context({"viewer_map": viewer_map_for(published), "request": rf.get("/")})
    )
    assert f'href="/cartes/{published.pk}/download.geojson" rel="nofollow" download' in html
    layer_id = published.layers[0]["id"]
    assert f'href="/cartes/{published.pk}/layers/{layer_id}.csv" rel="nofollow" download' in html
    assert "Licence Ouverte 2.0" in html
    preview = Template("{% load wagtail_umap %}{% umap_viewer viewer_map %}").render(
        Context({"viewer_map": viewer_map_for(published, inline_data=True), "request": rf.get("/")})
    )
    assert "/download." not in preview
