"""Representations, legends, filters, media on the server side of the public viewer."""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import make_home, make_map
from wagtail_umap.models import MapPage
from wagtail_umap.viewer.viz import format_number

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures"


def fixture_layer(name: str, **layer) -> dict:
    data = json.loads((FIXTURES / name).read_text())
    return {"name": name.split(".")[0], "features": data["features"], **layer}


def publish_page(map_, slug="carte"):
    home = make_home("accueil-viz")
    page = home.add_child(instance=MapPage(title="Carte", slug=slug, intro="", map=map_))
    page.save_revision().publish()
    return page


def config_of(html: str) -> dict:
    match = re.search(
        r'<script id="[^"]+-config" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


CHOROPLETH = {
    "type": "choropleth",
    "field": "taux",
    "method": "quantiles",
    "classes": 4,
    "unit": "%",
}


def test_french_number_formatting():
    with translation.override("fr"):
        assert format_number(1234.5).replace("\xa0", " ").replace("\u202f", " ") == "1 234,5"
    with translation.override("en"):
        assert format_number(1234.5) == "1,234.5"


def test_choropleth_classes_legend_and_list(client):
    map_ = make_map(
        "Chômage",
        layers=[fixture_layer("choropleth_region_chomage.geojson", representation=CHOROPLETH)],
    )
    html = client.get(publish_page(map_).url).content.decode()
    config = config_of(html)
    representation = config["layers"][0]["representation"]
    assert representation["bounds"] == [5.6, 6.2, 6.7, 7.1, 8.9]
    assert [c["count"] for c in representation["classes"]] == [5, 4, 1, 3]
    assert [c["label"] for c in representation["classes"]] == [
        "5,6 – 6,2 %",
        "6,2 – 6,7 %",
        "6,7 – 7,1 %",
        "7,1 – 8,9 %",
    ]
    # The legend, as text in the page.
    legend = html[html.index("data-umap-legends") : html.index("data-umap-list")]
    assert "Légende" in legend
    assert "5,6 – 6,2 %" in legend and "(5 éléments)" in legend and "(1 élément)" in legend
    # Each feature's value and class beside it in the list.
    assert "taux : 8,9 % (classe 4 sur 4 : 7,1 – 8,9 %)" in html


def test_categorized_legend_gives_colour_and_dash(client):
    representation = {"type": "categorized", "field": "highway"}
    map_ = make_map(
        "Routes",
        layers=[fixture_layer("categorized_highway.geojson", representation=representation)],
    )
    html = client.get(publish_page(map_).url).content.decode()
    categories = config_of(html)["layers"][0]["representation"]["categories"]
    assert len({c["dash"] for c in categories}) == len(categories)  # dash alone tells them
    assert sum(c["count"] for c in categories) == 32
    assert 'stroke-dasharray="10 4"' in html  # the second category's line is dashed


def test_circles_legend(client):
    representation = {"type": "circles", "field": "capacity", "min_radius": 2, "max_radius": 40}
    map_ = make_map(
        "Vélos", layers=[fixture_layer("test_circles_layer.geojson", representation=representation)]
    )
    html = client.get(publish_page(map_).url).content.decode()
    config = config_of(html)["layers"][0]["representation"]
    assert config["legend"][0]["radius"] == 40
    assert config["largest"] == max(
        config["legend"][i]["value"] for i in range(len(config["legend"]))
    )


def test_filters_config(client):
    filters = [
        {"type": "category", "field": "highway"},
        {"type": "search", "fields": ["name", "ref"]},
    ]
    map_ = make_map(
        "Routes", layers=[fixture_layer("categorized_highway.geojson", filters=filters)]
    )
    config = config_of(client.get(publish_page(map_).url).content.decode())["layers"][0]
    category, search = config["filters"]
    assert sum(option["count"] for option in category["options"]) == 32
    assert search["fields"] == ["name", "ref"] and search["label"] == "Rechercher"


def test_html_description_is_cleaned_in_the_list(client):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2, 48]},
        "properties": {
            "name": "A",
            "description": '<p>Ouvert <strong>lundi</strong><img src=x onerror="alert(1)"></p>',
        },
    }
    map_ = make_map("Desc", layers=[{"name": "L", "features": [feature]}])
    html = client.get(publish_page(map_).url).content.decode()
    assert "<p>Ouvert <strong>lundi</strong></p>" in html
    assert "onerror" not in html.split("application/json")[0]


def test_media_resolved_in_constant_queries(client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Mairie", file=get_test_image_file())
    document = get_document_model().objects.create(
        title="Discours", file=ContentFile(b"ID3", name="discours.mp3")
    )

    def feature(i):
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2 + i / 100, 48]},
            "properties": {
                "name": f"P{i}",
                "_media": {
                    "image": {"id": image.pk, "alt": "La mairie"},
                    "audio": {"id": document.pk},
                    "video": "https://www.youtube.com/watch?v=x",
                },
            },
        }

    counts = []
    for size in (1, 6):
        map_ = make_map(
            f"M{size}", layers=[{"name": "L", "features": [feature(i) for i in range(size)]}]
        )
        page = publish_page(map_, slug=f"carte-{size}") if size == 1 else None
        if page is None:
            home = MapPage.objects.get(slug="carte-1").get_parent()
            page = home.add_child(instance=MapPage(title="C6", slug="carte-6", intro="", map=map_))
            page.save_revision().publish()
        client.get(page.url)  # the first view creates the rendition
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page.url).content.decode()
        counts.append(len(queries))
        media = config_of(html)["media"][map_.layers[0]["id"]]
        assert len(media) == size
        first = media["0"]
        assert first["image"]["alt"] == "La mairie" and first["image"]["width"] <= 640
        assert (
            first["audio"]["url"].endswith("discours.mp3") or "/documents/" in first["audio"]["url"]
        )
        assert first["video"]["host"] == "www.youtube.com" and "<iframe" not in html
    assert counts[0] == counts[1]


def test_video_player_view_needs_a_signed_token(client):
    from django.core import signing
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    url = "https://www.youtube.com/watch?v=abc"
    Embed.objects.create(
        url=url,
        max_width=640,
        hash=get_embed_hash(url, 640, None),
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/abc?feature=oembed&amp;x=1"></iframe>',
        title="Conseil",
        width=640,
        height=360,
    )
    assert client.get("/cartes/media/video/", {"token": "forged"}).status_code == 400
    token = signing.dumps(url, salt="wagtail_umap.video")
    data = client.get("/cartes/media/video/", {"token": token}).json()
    assert data == {
        "src": "https://www.youtube-nocookie.com/embed/abc?feature=oembed&x=1",
        "title": "Conseil",
        "width": 640,
        "height": 360,
    }


def test_plain_text_description_is_escaped_with_line_breaks(client):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2, 48]},
        "properties": {"name": "A", "description": "Ouvert 8 h – 12 h\n5 < 6 & 7"},
    }
    map_ = make_map("Texte", layers=[{"name": "L", "features": [feature]}])
    html = client.get(publish_page(map_).url).content.decode()
    assert "Ouvert 8 h – 12 h<br>5 &lt; 6 &amp; 7" in html
