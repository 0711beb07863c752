"""Large layers: stored compressed bytes, conditional requests, constant queries, per-layer
caps, and the paginated, searchable feature list."""

from __future__ import annotations

import gzip
import importlib
import json
import re

import brotli
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import document, layer, make_map, point, square
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.models import LayerData, Map
from wagtail_umap.viewer import data as data_view
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import render_hint, template_context
from wagtail_umap.viewer.map import ViewerLayer

pytestmark = pytest.mark.django_db


def points(count: int, prefix: str = "Borne") -> list[dict]:
    return [
        point(2 + (i % 100) / 100, 47 + (i // 100) / 100, f"{prefix} {i + 1}", power=22)
        for i in range(count)
    ]


@pytest.fixture(autouse=True)
def empty_bytes_cache():
    """Layer bytes a process has sent stay in its memory: start each test without them."""
    data_view.cache.items.clear()
    data_view.cache.size = 0


@pytest.fixture
def large(settings):
    """Every layer above 10 bytes loads from its data URL; lists show 50 features a page."""
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10, "FEATURE_LIST_PAGE_SIZE": 50}


def data_url(map_: Map, position: int = 0) -> str:
    return f"/cartes/data/{map_.pk}/{map_.layers[position]['data']['digest']}.geojson"


# --- stored bytes, served per Accept-Encoding ---------------------------------------------------


def test_saving_stores_the_compressed_bytes_index_types_and_box():
    map_ = make_map(layers=[layer("Bornes", *points(3)), layer("Zones", square(3, 45, "Z"))])
    bornes = LayerData.objects.get(digest=map_.layers[0]["data"]["digest"])
    plain = bytes(bornes.geojson)
    assert gzip.decompress(bytes(bornes.geojson_gzip)) == plain
    assert brotli.decompress(bytes(bornes.geojson_br)) == plain
    assert len(bornes.geojson_br) < len(bornes.geojson_gzip)
    assert bornes.geometry_types == ["Point"]
    assert bornes.bbox == [2.0, 47.0, 2.02, 47.0]
    lines = bytes(bornes.feature_index).split(b"\n")
    assert json.loads(lines[0]) == ["Borne 1", "", True]
    zones = LayerData.objects.get(digest=map_.layers[1]["data"]["digest"])
    assert zones.geometry_types == ["Polygon"]
    assert zones.vertex_count == 5


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br;q=0", "gzip"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.1", "br"),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("identity", None),
        ("", None),
        ("gzip;q=0, br;q=0", None),
        ("deflate", None),
    ],
)
def test_the_data_url_sends_the_stored_bytes_the_client_accepts(client, accept, encoding):
    map_ = make_map(layers=[layer("Bornes", *points(40))])
    stored = LayerData.objects.get(digest=map_.layers[0]["data"]["digest"])
    response = client.get(data_url(map_), headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(response.content) == bytes(stored.geojson)
    assert json.loads(decode(response.content))["features"][39]["properties"]["name"] == (
        "Borne 40"
    )
    suffix = f"-{encoding}" if encoding else ""
    assert response["ETag"] == f'"{stored.digest}{suffix}"'
    assert "immutable" in response["Cache-Control"]


def test_data_saved_without_brotli_is_sent_gzipped(client):
    map_ = make_map(layers=[layer("Bornes", *points(5))])
    LayerData.objects.filter(digest=map_.layers[0]["data"]["digest"]).update(geojson_br=b"")
    response = client.get(data_url(map_), headers={"Accept-Encoding": "br, gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["features"][4]["geometry"]


@pytest.mark.parametrize("accept", ["br", "gzip", ""])
def test_revalidation_is_a_304_with_no_body_that_never_reads_the_layer(
    client, django_assert_num_queries, accept
):
    map_ = make_map(layers=[layer("Bornes", *points(40))])
    url = data_url(map_)
    headers = {"Accept-Encoding": accept}
    etag = client.get(url, headers=headers)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # Two queries: the map and whether it is shared (a shared map needs no other to know who
    # may see it, docs/sharing.md), then its live document; none reads the layer data table.
    assert len(queries) == 2
    assert not any("layerdata" in query["sql"].lower() for query in queries)


def test_a_200_reads_one_stored_column_only(client):
    map_ = make_map(layers=[layer("Bornes", *points(40))])
    with CaptureQueriesContext(connection) as queries:
        client.get(data_url(map_), headers={"Accept-Encoding": "gzip"})
    layer_queries = [q["sql"] for q in queries if "layerdata" in q["sql"].lower()]
    assert len(layer_queries) == 1
    assert '"geojson_gzip"' in layer_queries[0]
    assert '"geojson",' not in layer_queries[0] and '"geojson_br"' not in layer_queries[0]


def test_sent_bytes_are_kept_in_memory_for_the_next_request(client):
    map_ = make_map(layers=[layer("Bornes", *points(40))])
    headers = {"Accept-Encoding": "gzip"}
    first = client.get(data_url(map_), headers=headers).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(data_url(map_), headers=headers).content
    assert again == first
    assert [q for q in queries if "layerdata" in q["sql"].lower()] == []


def test_derived_data_of_older_rows_is_backfilled():
    features = points(3)
    stored = LayerData.store(features)
    LayerData.objects.filter(pk=stored.pk).update(
        geojson_gzip=b"", geojson_br=b"", feature_index=b"", geometry_types=[], bbox=None
    )
    migration = importlib.import_module("wagtail_umap.migrations.0003_layer_data_derived")
    from django.apps import apps

    migration.derive_existing(apps, None)
    row = LayerData.objects.get(pk=stored.pk)
    assert gzip.decompress(bytes(row.geojson_gzip)) == bytes(row.geojson)
    assert row.geometry_types == ["Point"] and row.bbox is not None
    assert bytes(row.feature_index).count(b"\n") == 2


# --- constant queries ---------------------------------------------------------------------------


def render_viewer(map_: Map) -> str:
    map_ = Map.objects.get(pk=map_.pk)
    return render_to_string("wagtail_umap/viewer.html", template_context(viewer_map_for(map_)))


@pytest.mark.parametrize("inline_max", [10, 1_000_000])
def test_rendering_a_map_costs_the_same_queries_for_1_or_10_layers(settings, inline_max):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": inline_max}
    one = make_map("Un", layers=[layer("L0", *points(60, "A"))])
    ten = make_map("Dix", layers=[layer(f"L{i}", *points(60, f"P{i}")) for i in range(10)])
    counts = []
    for map_ in (one, ten):
        with CaptureQueriesContext(connection) as queries:
            html = render_viewer(map_)
        counts.append(len(queries))
        assert "Borne" not in html  # named A… and P…
    assert counts[0] == counts[1] <= 4, counts


def test_a_large_layer_is_neither_inlined_nor_listed_whole(large):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(120))])
    html = render_viewer(map_)
    config = json.loads(html.split('type="application/json">')[1].split("</script>")[0])
    assert config["layers"][0]["data"] is None
    assert config["layers"][0]["dataUrl"] == data_url(map_)
    assert html.count("data-umap-feature-item=") == 50
    assert "Borne 50<" in html and "Borne 51<" not in html
    assert f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/?page=2" in html
    # The first view still fits the data, from the stored box.
    assert config["view"]["bounds"] == [[47.0, 2.0], [47.01, 2.99]]


# --- render hints -------------------------------------------------------------------------------


def viewer_layer(features, **counts) -> ViewerLayer:
    return ViewerLayer("l", "L", "", True, {}, "", features, **counts)


def test_render_hints_follow_size_and_geometry(settings):
    settings.WAGTAIL_UMAP = {
        "CLUSTER_MIN_POINTS": 20,
        "CANVAS_MIN_FEATURES": 10,
        "TILE_MIN_VERTICES": 100,
    }
    assert render_hint(viewer_layer(points(5))) == "markers"
    assert render_hint(viewer_layer(points(20))) == "cluster"
    assert render_hint(viewer_layer([square(i, 45) for i in range(12)])) == "canvas"
    assert render_hint(viewer_layer([square(i, 45) for i in range(20)])) == "tiles"
    lines = [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[i, 45], [i, 46]] * 30},
        }
        for i in range(5)
    ]
    assert render_hint(viewer_layer(lines)) == "tiles"  # 300 vertices of lines
    # Mixed points and polygons are not clustered: drawn on a canvas.
    assert render_hint(viewer_layer(points(30) + [square(2, 45)])) == "canvas"
    # A large layer's size comes from the store.
    stored = viewer_layer([], feature_count=100_000, vertex_count=100_000)
    stored.geometry_types = ["Point"]
    assert render_hint(stored) == "cluster"


# --- caps ---------------------------------------------------------------------------------------


def test_a_layer_above_the_feature_cap_is_refused_with_its_place(settings):
    settings.WAGTAIL_UMAP = {"MAX_LAYER_FEATURES": 5}
    map_ = Map(title="T", summary="S")
    doc = document(layer("Petite", *points(5)), layer("Grande", *points(6)))
    with pytest.raises(MapDocumentError) as caught:
        map_.set_document(doc)
    assert caught.value.messages() == [
        'layer 2 "Grande": too many features in this layer: 6, the limit per layer is 5; '
        "split it into several layers"
    ]
    with translation.override("fr"):
        from django.utils.translation import gettext

        message = caught.value.messages(gettext)[0]
    assert message.startswith("calque 2 « Grande » : trop d’éléments dans ce calque")
    assert "6" in message and "5" in message
    assert not LayerData.objects.exists()  # nothing saved half-way


def test_a_layer_above_the_vertex_cap_is_refused_before_any_layer_is_stored(settings):
    settings.WAGTAIL_UMAP = {"MAX_LAYER_VERTICES": 12}
    map_ = Map(title="T", summary="S")
    doc = document(layer("Points", *points(3)), layer("Zones", *[square(i, 45) for i in range(3)]))
    with pytest.raises(MapDocumentError) as caught:
        map_.set_document(doc)
    assert caught.value.messages()[0].startswith(
        'layer 2 "Zones": too many points in this layer\'s geometries: 15, '
        "the limit per layer is 12"
    )
    assert not LayerData.objects.exists()


# --- the paginated, searchable list -------------------------------------------------------------


def list_url(map_: Map, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/features/?{query}"


def test_the_list_view_serves_any_page_as_a_fragment(client, large):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(120))])
    response = client.get(list_url(map_, page=3, partial=1, dom="umap-9-layer-0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.count("data-umap-feature-item=") == 20
    layer_id = map_.layers[0]["id"]
    assert f'data-umap-feature-item="{layer_id}:100"' in html
    assert 'id="umap-9-layer-0-feature-119"' in html
    # French, the site's default language.
    assert "Page 3 sur 3" in html and 'rel="prev"' in html and 'rel="next"' not in html
    assert "Éléments 101 à 120 sur 120 affichés." in html


def test_the_list_view_without_script_is_a_whole_page(client, large):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(120))])
    response = client.get(list_url(map_, page=2))
    html = response.content.decode()
    assert "<html" in html and "<h1>Bornes</h1>" in html
    assert html.count("data-umap-feature-item=") == 50
    assert "Page 2 sur 3" in html


def test_the_list_search_ignores_case_and_accents(client, large):
    features = points(120) + [point(2, 47, "École Jules-Ferry"), point(2, 47, "Mairie")]
    map_ = make_map("Lieux", layers=[layer("Lieux", *features)])
    html = client.get(list_url(map_, q="borne+11", partial=1)).content.decode()
    assert "11 éléments correspondent à « borne 11 »." in html  # Borne 11, 110 to 119
    assert html.count("data-umap-feature-item=") == 11
    html = client.get(list_url(map_, q="ECOLE", partial=1)).content.decode()
    assert "1 élément correspond à « ECOLE »." in html and "École Jules-Ferry" in html
    html = client.get(list_url(map_, q="nulle+part", partial=1)).content.decode()
    assert "0 élément correspond" in html and "data-umap-feature-item=" not in html


def test_a_page_past_the_end_shows_the_last_one(client, large):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(120))])
    html = client.get(list_url(map_, page=99, partial=1)).content.decode()
    assert "Page 3 sur 3" in html


def test_the_list_escapes_names(client, large):
    map_ = make_map(
        "X", layers=[layer("X", *points(60), point(2, 47, "<script>alert(1)</script>"))]
    )
    html = client.get(list_url(map_, page=2, partial=1)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_list_of_a_draft_map_is_not_public(client, large):
    map_ = make_map("Bornes", publish=False, layers=[layer("Bornes", *points(60))])
    assert client.get(list_url(map_, page=2)).status_code == 404
    live = make_map("Autre", layers=[layer("Autre", *points(60))])
    url = f"/cartes/{live.pk}/layers/inconnue/features/"
    assert client.get(url).status_code == 404


def test_the_list_speaks_english_on_an_english_request(client, large):
    map_ = make_map("Bornes", layers=[layer("Bornes", *points(120))])
    with translation.override("en"):
        from django.template.loader import render_to_string as render

        from wagtail_umap.viewer.feature_list import feature_page

        index = LayerData.objects.get(pk=map_.layers[0]["data"]["digest"]).feature_index
        page = feature_page(bytes(index), layer_id="x", section_dom_id="s", total=120, page=2)
        html = render("wagtail_umap/viewer/feature_list.html", {"page": page})
    assert "Page 2 of 3" in html and "Features 51 to 100 of 120 shown." in html
    assert "Search by name" not in html  # no list URL (a preview): no search form


def test_a_preview_inlines_a_long_layer_but_lists_its_first_page_only(settings):
    settings.WAGTAIL_UMAP = {"PREVIEW_LIST_MAX": 100, "FEATURE_LIST_PAGE_SIZE": 50}
    map_ = make_map("Bornes", publish=False, layers=[layer("Bornes", *points(120))])
    viewer_map = viewer_map_for(map_, inline_data=True)
    html = render_to_string("wagtail_umap/viewer.html", template_context(viewer_map))
    config = json.loads(html.split('type="application/json">')[1].split("</script>")[0])
    assert len(config["layers"][0]["data"]["features"]) == 120  # the map has them all
    assert html.count("data-umap-feature-item=") == 50
    assert "/features/" not in html  # a draft's list has no public pages


# --- uMap markup and label_key in large layers (issue 12) ---------------------------------------

MARKUP = "# {nom}\n**Statut** : {statut}\n[[{site}|Site web]]\n{{https://img.example.fr/a.jpg}}"


def equipments(count: int) -> list[dict]:
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2 + i / 1000, 47]},
            "properties": {
                "nom": f"Équipement {i + 1}" if i else "<b>Mairie</b>",
                "statut": "**ouvert**" if i == 0 else "fermé",
                "site": "javascript:alert(1)" if i == 1 else f"https://e.example.fr/{i}",
            },
        }
        for i in range(count)
    ]


def test_a_large_layers_popup_markup_is_rendered_by_the_server_on_demand(client, large):
    """A layer loaded from its data URL gets its popups' uMap markup rendered by core.markup,
    one feature at a time (the script copies it through js/viewer/markup.js): the same
    allowlist as inline layers, data always text, no unsafe link, no image from a host the
    CSP does not allow."""
    map_ = make_map(
        "Équipements",
        layers=[layer("Équipements", *equipments(60), popup_template=MARKUP, label_key="nom")],
    )
    config = template_context(viewer_map_for(map_))["config"]["layers"][0]
    assert "popupHtml" not in config  # nothing rendered in advance for a large layer
    url = config["popupUrl"]
    layer_id = map_.layers[0]["id"]
    assert url == f"/cartes/{map_.pk}/layers/{layer_id}/popups/{{index}}.json"
    first = client.get(url.replace("{index}", "0"))
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=300"
    html = first.json()["html"]
    # "# {nom}" repeats the popup's title (the label_key name): left out, as inline.
    assert html.startswith("<p><strong>Statut</strong> : **ouvert**<br>")  # a value is text
    assert (
        '<a href="https://e.example.fr/0" rel="noopener noreferrer nofollow">Site web</a>' in html
    )
    assert "<img" not in html and 'href="https://img.example.fr/a.jpg"' in html  # no CSP host
    second = client.get(url.replace("{index}", "1")).json()["html"]
    assert "javascript" not in second and "Site web" in second  # text without a link
    tags = set(re.findall(r"</?([a-z0-9]+)", html + second))
    assert tags <= {"h4", "h5", "h6", "strong", "em", "a", "img", "hr", "br", "p"}
    assert client.get(url.replace("{index}", "60")).status_code == 404
    assert client.get(url.replace("{index}", "0").replace(layer_id, "inconnue")).status_code == 404


def test_a_large_layers_list_shows_the_rendered_popup_and_the_label_key_name(client, large):
    map_ = make_map(
        "Équipements",
        layers=[layer("Équipements", *equipments(60), popup_template=MARKUP, label_key="nom")],
    )
    html = client.get(list_url(map_, page=2, partial=1)).content.decode()
    assert "Équipement 51" in html and "Élément sans nom" not in html
    assert "<strong>Statut</strong> : fermé" in html
    first_page = render_to_string(
        "wagtail_umap/viewer.html", template_context(viewer_map_for(map_))
    )
    assert "&lt;b&gt;Mairie&lt;/b&gt;" in first_page and "<b>Mairie" not in first_page


def test_a_draft_maps_popups_are_not_public(client, large):
    map_ = make_map(
        "Brouillon",
        publish=False,
        layers=[layer("X", *equipments(60), popup_template=MARKUP)],
    )
    url = f"/cartes/{map_.pk}/layers/{map_.layers[0]['id']}/popups/0.json"
    assert client.get(url).status_code == 404


def test_two_paginated_lists_name_their_landmarks_after_their_layers(client, large):
    # axe's landmark-unique: two pagers (and two searches) on one page need two names.
    map_ = make_map(
        "Bornes", layers=[layer("Bornes", *points(120)), layer("Arrêts", *points(60, "Arrêt"))]
    )
    html = render_viewer(map_)
    pagers = re.findall(r'<nav class="umap-viewer__pager" aria-label="([^"]*)"', html)
    assert pagers == ["Pages de la liste : Bornes", "Pages de la liste : Arrêts"]
    searches = re.findall(r'role="search"[^>]*aria-label="([^"]*)"', html)
    assert searches == [
        "Rechercher parmi les 120 éléments du calque « Bornes »",
        "Rechercher parmi les 60 éléments du calque « Arrêts »",
    ]
    # The page the script swaps in keeps the name.
    fragment = client.get(list_url(map_, page=2, partial=1)).content.decode()
    assert 'aria-label="Pages de la liste : Bornes"' in fragment
