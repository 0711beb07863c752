"""The feature list is the map's text alternative (RGAA 1.6/1.7): each item says what the
feature's popup says — the filled template or the table's fields, the media with their
alternatives, the class in words — for small layers and, a page at a time, for large ones."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tests.factories import layer, make_map, point
from wagtail_umap.core.markup import fill_placeholders as fill_template
from wagtail_umap.models import Map
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import template_context

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

TEMPLATE = '{operator} – {power_kw} kW\nPrises : {plugs|"inconnues"}\nAccès : {access|libre}'
GEOJSON_COLUMN = '"geojson"'


def charge_points(count: int) -> list[dict]:
    return [
        point(
            2 + (i % 100) / 100,
            47 + (i // 100) / 100,
            f"Borne {i + 1}",
            operator=f"Opérateur {i % 3}",
            power_kw=22 if i % 2 else 7.4,
            plugs="Type 2, CCS" if i % 5 else "",
        )
        for i in range(count)
    ]


def render(map_: Map) -> str:
    map_ = Map.objects.get(pk=map_.pk)
    return render_to_string("wagtail_umap/viewer.html", template_context(viewer_map_for(map_)))


def item(html: str, index: int) -> str:
    match = re.search(rf'<li [^>]*id="[^"]*-feature-{index}".*?</li>', html, re.S)
    assert match, index
    return match.group(0)


def test_the_template_is_filled_as_the_popup_fills_it():
    properties = {"operator": "Izivia", "power_kw": 22.0, "plugs": "", "n": 3, "ok": True}
    assert fill_template(TEMPLATE, properties) == (
        "Izivia – 22 kW\nPrises : inconnues\nAccès : libre"
    )
    assert fill_template("{n} / {ok} / {missing} / {a|b}", properties) == "3 / true /  / b"
    assert fill_template('{x|"<b>"}', {}) == "<b>"


def test_each_item_carries_its_popup_template_filled():
    map_ = make_map("Bornes", layers=[layer("Bornes", *charge_points(3), popup_template=TEMPLATE)])
    html = render(map_)
    first = item(html, 0)
    assert 'class="umap-viewer__feature-popup"' in first
    # A number in the page's language (RGAA 8.7): 7.4 is "7,4" on a French page.
    assert "Opérateur 0 – 7,4 kW<br>Prises : inconnues<br>Accès : libre" in first
    assert "Opérateur 1 – 22 kW<br>Prises : Type 2, CCS" in item(html, 1)


def test_the_template_is_text_never_markup():
    feature = point(2, 47, "A", operator="<script>alert(1)</script>")
    map_ = make_map("X", layers=[layer("X", feature, popup_template="{operator}")])
    html = render(map_)
    assert "<script>alert(1)" not in item(html, 0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item(html, 0)


def test_the_table_layout_lists_every_field():
    feature = point(2, 47, "Parking", capacity=12, covered=True, description="<p>Au <b>sud</b></p>")
    feature["properties"]["_style"] = {"color": "red"}
    map_ = make_map("P", layers=[layer("P", feature, popup_layout="table")])
    fields = item(render(map_), 0)
    assert '<dl class="umap-viewer__feature-fields">' in fields
    assert "<dt>capacity</dt><dd>12</dd>" in fields
    assert "<dt>covered</dt><dd>true</dd>" in fields
    assert "<dt>description</dt><dd><p>Au <b>sud</b></p></dd>" in fields
    assert "_style" not in fields and "<dt>name</dt>" not in fields


def test_the_class_of_a_category_is_said_in_words():
    features = [point(2, 47, "A", kind="école"), point(2.1, 47, "B", kind="mairie")]
    representation = {"type": "categorized", "field": "kind"}
    map_ = make_map("C", layers=[layer("C", *features, representation=representation)])
    assert "kind : école" in item(render(map_), 0)


def test_a_large_layer_lists_what_its_popups_say_page_after_page(settings, client):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10, "FEATURE_LIST_PAGE_SIZE": 50}
    map_ = make_map(
        "Bornes", layers=[layer("Bornes", *charge_points(120), popup_template=TEMPLATE)]
    )
    with CaptureQueriesContext(connection) as first:
        html = render(map_)
    assert html.count("data-umap-feature-item=") == 50
    assert "Opérateur 1 – 22 kW<br>Prises : Type 2, CCS" in item(html, 1)
    # The layer was read once, and is not read again: the content is cached per digest.
    assert sum(GEOJSON_COLUMN in q["sql"] for q in first.captured_queries) == 1
    with CaptureQueriesContext(connection) as second:
        again = render(map_)
    assert not any(GEOJSON_COLUMN in q["sql"] for q in second.captured_queries)
    assert again == html
    # The next pages, from the list view, say it too.
    layer_id = map_.layers[0]["id"]
    url = f"/cartes/{map_.pk}/layers/{layer_id}/features/?page=3&partial=1&dom=umap-9-layer-0"
    with CaptureQueriesContext(connection) as third:
        page = client.get(url).content.decode()
    assert not any(GEOJSON_COLUMN in q["sql"] for q in third.captured_queries)
    assert "Opérateur 0 – 22 kW<br>Prises : Type 2, CCS" in item(page, 111)


def test_a_large_layer_lists_its_content_even_without_a_cache(settings, client):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    map_ = make_map("Bornes", layers=[layer("Bornes", *charge_points(60), popup_template=TEMPLATE)])
    assert "Opérateur 1 – 22 kW" in item(render(map_), 1)
    layer_id = map_.layers[0]["id"]
    page = client.get(f"/cartes/{map_.pk}/layers/{layer_id}/features/?page=2&partial=1")
    assert "Opérateur 2 – 7,4 kW" in item(page.content.decode(), 50)


def test_a_plain_large_layer_is_not_read_for_its_list(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Bornes", layers=[layer("Bornes", *charge_points(60))])
    with CaptureQueriesContext(connection) as queries:
        render(map_)
    assert not any(GEOJSON_COLUMN in q["sql"] for q in queries.captured_queries)


# --- transcripts of audio and video (RGAA 4.1) -------------------------------------------------


def audio_document():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(
        title="Le mot du maire", file=ContentFile(b"RIFF audio", name="mot.wav")
    )


def test_a_transcript_is_cleaned_when_saved():
    from wagtail_umap.core.errors import MapDocumentError
    from wagtail_umap.core.validation import validate_features

    feature = point(2, 47, "A")
    feature["properties"]["_media"] = {
        "video": "https://www.youtube.com/watch?v=x",
        "transcript": "<p>Bonjour <script>alert(1)</script><b>à tous</b></p>",
    }
    cleaned = validate_features([feature])[0]["properties"]["_media"]
    assert cleaned["transcript"] == "<p>Bonjour <b>à tous</b></p>"
    feature["properties"]["_media"]["transcript"] = "x" * 50_001
    with pytest.raises(MapDocumentError):
        validate_features([feature])


def test_the_transcript_is_next_to_the_player_and_in_the_list():
    document = audio_document()
    feature = point(2, 47, "Mairie")
    feature["properties"]["_media"] = {
        "audio": {"id": document.pk, "title": "Le mot du maire"},
        "transcript": "Bonjour à tous.\n\nLa mairie ouvre samedi & dimanche.",
    }
    silent = point(2.1, 47, "École")
    silent["properties"]["_media"] = {"transcript": "Sans audio ni vidéo : rien à transcrire."}
    map_ = make_map("M", layers=[layer("M", feature, silent)])
    html = render(map_)
    first = item(html, 0)
    assert "Écouter « Le mot du maire » (fichier audio)" in first
    assert '<details class="umap-viewer__feature-transcript" open><summary>Transcription' in first
    assert "<p>Bonjour à tous.</p><p>La mairie ouvre samedi &amp; dimanche.</p>" in first
    assert "rien à transcrire" not in html
    config = json.loads(re.search(r'type="application/json">(.*?)</script>', html, re.S)[1])
    media = config["media"][map_.layers[0]["id"]]
    assert media["0"]["transcript"].startswith("<p>Bonjour à tous.</p>")
